// The one error type the client hands to apps: an HTTP-style status, a short code and a sentence.

/** Thrown or passed to `error` listeners: `status` is the HTTP status or WebSocket close code (0 when none). */
export class SwitchboardError extends Error {
  constructor(status, code, reason, fatal = false) {
    super(reason || code);
    this.name = 'SwitchboardError';
    this.status = status;
    this.code = code;
    this.reason = reason || code;
    // A fatal error means "do not reconnect as is" (a bad token, a server-side disconnect).
    this.fatal = fatal;
  }
}

/** The error for an HTTP answer that is not 2xx, from its `{"error","reason"}` body when it has one. */
export async function httpError(response) {
  let body = {};
  try {
    body = await response.json();
  } catch (e) {
    // not JSON (a proxy's page, an empty body): the status says enough
  }
  return new SwitchboardError(response.status, body.error || 'http_' + response.status, body.reason || response.statusText);
}

/** Marks an error whose HTTP status could not be read (script tags, iframes): it may be a refusal. */
export function blind(error) {
  error.blind = true;
  return error;
}

/** A refusal that is about the request's channels (not the door): worth asking channel by channel. */
export function isChannelRefusal(error) {
  return !!error && (error.status === 401 || error.status === 403 ||
    (error.status === 400 && /channel|too_many/.test(error.code)));
}

const CODES = { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'session_busy',
  413: 'too_large', 429: 'rate_limited', 503: 'unavailable' };

/** An `error` item (`{"type":"error","code":403,"reason":…}`) as a SwitchboardError. */
export function itemError(item) {
  return new SwitchboardError(item.code, CODES[item.code] || 'error', item.reason);
}
