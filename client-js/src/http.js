// HTTP helpers every HTTP door shares: query strings, JSON requests with a deadline, streamed lines.

import { SwitchboardError, httpError } from './errors.js';

/** `?a=1&channel=x&channel=y` from an object; arrays repeat the name; null, undefined and '' are left out. */
export function query(params) {
  const parts = [];
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v != null && v !== '') parts.push(encodeURIComponent(name) + '=' + encodeURIComponent(v));
    }
  }
  return parts.length ? '?' + parts.join('&') : '';
}

/** Whether the environment can read a response body as it arrives (the streaming doors need it). */
export function canStream(env) {
  return typeof env.fetch === 'function' && typeof env.ReadableStream === 'function' &&
    typeof env.TextDecoder === 'function' && typeof env.AbortController === 'function';
}

/** An AbortController that also aborts after `ms`, and when `outer` (optional) aborts; `done()` lets go. */
export function deadline(ms, outer) {
  const ac = new AbortController();
  const abort = () => ac.abort();
  const timer = setTimeout(abort, ms);
  if (outer) {
    if (outer.aborted) ac.abort();
    else outer.addEventListener('abort', abort);
  }
  ac.done = () => {
    clearTimeout(timer);
    if (outer) outer.removeEventListener('abort', abort);
  };
  return ac;
}

/** An error for a fetch that failed without an answer (network down, aborted, timed out). */
export function networkError(e, what) {
  return e instanceof SwitchboardError ? e : new SwitchboardError(0, 'network', what + ' failed: ' + (e && e.message || e));
}

/** Fetches JSON; a non-2xx answer rejects with the server's SwitchboardError. */
export async function fetchJson(url, init, ms, outer) {
  const ac = deadline(ms, outer);
  try {
    const response = await fetch(url, Object.assign({ cache: 'no-store', signal: ac.signal }, init));
    if (!response.ok) throw await httpError(response);
    return await response.json();
  } catch (e) {
    throw networkError(e, url.split('?')[0]);
  } finally {
    ac.done();
  }
}

/** Calls `onLine(text)` for each line of a streaming body (without its line break); resolves at its end. */
export async function readLines(response, onLine) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
  }
}

/** Resolves after `ms`, or rejects at once when `signal` aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const aborted = () => {
      clearTimeout(timer);
      reject(new SwitchboardError(0, 'aborted', 'aborted'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', aborted);
      resolve();
    }, ms);
    signal.addEventListener('abort', aborted);
  });
}

/** Whether two channel lists are the same, in the same order (a door's request names them in order). */
export function sameList(a, b) {
  return !!a && a.length === b.length && a.every((x, i) => x === b[i]);
}
