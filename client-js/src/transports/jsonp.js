// JSONP long-polling (Comet), GET /jsonp: the poll answer as a script calling back a global function,
// for pages that cannot read cross-origin answers with CORS. Needs a DOM.

import { SwitchboardError, blind } from '../errors.js';
import { query } from '../http.js';
import { PollTransport } from './poll.js';

let jsonpCalls = 0;

export class JsonpTransport extends PollTransport {
  static supported(env) {
    return !!env.document && typeof env.document.createElement === 'function';
  }

  constructor(link) {
    super(link, link.longPollWait);
  }

  _path() {
    return '/jsonp';
  }

  _get(params, wait, signal) {
    return jsonp(this.link.base + '/jsonp', params, wait * 1000 + this.link.timeout, signal);
  }
}

/** Loads `url` + params as a script with a fresh global callback; resolves with what it is called with. */
function jsonp(url, params, ms, signal) {
  return new Promise((resolve, reject) => {
    const name = '__sbJsonp' + (++jsonpCalls);
    const script = document.createElement('script');
    let over = false;
    const finish = (error, answer) => {
      if (over) return;
      over = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', aborted);
      script.onload = script.onerror = null;
      script.remove();
      // A script still on its way may call back later: it finds a no-op. An answered one will not.
      if (error) globalThis[name] = () => {};
      else delete globalThis[name];
      if (error) reject(error);
      else resolve(answer);
    };
    const aborted = () => finish(new SwitchboardError(0, 'aborted', 'aborted'));
    const timer = setTimeout(() => finish(new SwitchboardError(0, 'timeout', 'no JSONP answer')), ms);
    globalThis[name] = (answer) => finish(null, answer);
    // A script tag cannot read the status: a refused channel looks like a network failure (blind).
    script.onerror = () => finish(blind(new SwitchboardError(0, 'network', 'the JSONP request failed')));
    // A script that ran without calling back (onload comes after it ran) is not an answer.
    script.onload = () => finish(new SwitchboardError(0, 'bad_answer', 'the JSONP answer did not call back'));
    script.src = url + query(Object.assign({}, params, { callback: name, t: Date.now() }));
    signal.addEventListener('abort', aborted);
    (document.head || document.documentElement).appendChild(script);
  });
}
