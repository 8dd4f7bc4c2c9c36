// Switchboard client 0.1.0 — built from client-js/src by client-js/build-global.mjs; do not edit.
// --- emitter.js
// A minimal event emitter: listeners run in registration order; one that throws does not stop the others.

class Emitter {
  constructor() {
    this._listeners = new Map();
  }

  /** Adds `fn` for `event`; returns a function that removes it again. */
  on(event, fn) {
    if (typeof fn !== 'function') throw new TypeError('listener must be a function');
    if (!this._listeners.has(event)) this._listeners.set(event, []);
    this._listeners.get(event).push(fn);
    return () => this.off(event, fn);
  }

  off(event, fn) {
    const list = this._listeners.get(event);
    if (list) this._listeners.set(event, list.filter((f) => f !== fn));
    return this;
  }

  _emit(event, value) {
    for (const fn of this._listeners.get(event) || []) {
      try {
        fn(value);
      } catch (e) {
        // An app listener's bug must not break delivery to the next one, nor the client itself.
        if (typeof reportError === 'function') reportError(e);
        else console.error(e);
      }
    }
  }
}

// --- errors.js
// The one error type the client hands to apps: an HTTP-style status, a short code and a sentence.

/** Thrown or passed to `error` listeners: `status` is the HTTP status or WebSocket close code (0 when none). */
class SwitchboardError extends Error {
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
async function httpError(response) {
  let body = {};
  try {
    body = await response.json();
  } catch (e) {
    // not JSON (a proxy's page, an empty body): the status says enough
  }
  return new SwitchboardError(response.status, body.error || 'http_' + response.status, body.reason || response.statusText);
}

/** Marks an error whose HTTP status could not be read (script tags, iframes): it may be a refusal. */
function blind(error) {
  error.blind = true;
  return error;
}

/** A refusal that is about the request's channels (not the door): worth asking channel by channel. */
function isChannelRefusal(error) {
  return !!error && (error.status === 401 || error.status === 403 ||
    (error.status === 400 && /channel|too_many/.test(error.code)));
}

const CODES = { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'session_busy',
  413: 'too_large', 429: 'rate_limited', 503: 'unavailable' };

/** An `error` item (`{"type":"error","code":403,"reason":…}`) as a SwitchboardError. */
function itemError(item) {
  return new SwitchboardError(item.code, CODES[item.code] || 'error', item.reason);
}

// --- cursor.js
// Positions, cursors and deduplication: the client's record of what it has delivered on each channel.

const POSITION = /^([A-Za-z0-9_-]{1,16}):(0|[1-9][0-9]{0,15})$/;

/**
 * A position given by the app — `'EPOCH:OFFSET'`, `{epoch, offset}`, or null/undefined/''/'-' for
 * "from now" (null) — as `{epoch, offset}` or null. Throws a TypeError for anything else.
 */
function parsePosition(p) {
  if (p == null || p === '' || p === '-') return null;
  if (typeof p === 'object' && typeof p.epoch === 'string' && Number.isInteger(p.offset)) {
    return parsePosition(p.epoch + ':' + p.offset);
  }
  const m = typeof p === 'string' && POSITION.exec(p);
  if (!m) throw new TypeError('not a position (EPOCH:OFFSET): ' + p);
  return { epoch: m[1], offset: Number(m[2]) };
}

/** `'EPOCH:OFFSET'`, or `'-'` (from now) for null. */
function formatPosition(p) {
  return p ? p.epoch + ':' + p.offset : '-';
}

/**
 * The position of every subscribed channel: the last message delivered to the app (or the position the
 * server said delivery starts after). It builds the cursor each door resumes from, and drops items
 * already delivered, so that the app sees each message once and in order across reconnects and doors.
 */
class Positions {
  constructor() {
    this._at = new Map();
  }

  get(channel) {
    return this._at.get(channel) || null;
  }

  set(channel, position) {
    this._at.set(channel, position);
  }

  delete(channel) {
    this._at.delete(channel);
  }

  /** The cursor for `channels` in their order: `'e:4,-'`. */
  cursor(channels) {
    return channels.map((c) => formatPosition(this.get(c))).join(',');
  }

  /**
   * Takes the slots of a server cursor for `channels` (in the request's order) as the starting positions
   * of channels whose position is still unknown ("from now"): so a reconnect after a quiet time resumes
   * from there instead of from a later "now". Known positions are left alone: items move them.
   */
  learn(channels, cursor) {
    if (typeof cursor !== 'string') return;
    const slots = cursor.split(',');
    if (slots.length !== channels.length) return;
    channels.forEach((c, i) => {
      if (this._at.has(c) && this._at.get(c) === null && slots[i] !== '-') {
        try {
          this._at.set(c, parsePosition(slots[i]));
        } catch (e) {
          // a slot we cannot read stays unknown
        }
      }
    });
  }

  /**
   * Whether a `message` item is new for its channel, and if so moves the channel's position to it.
   * A message at or before the position in the same epoch was delivered already (a replay overlapping a
   * live stream, a retried poll): false. Items of channels not tracked are never new.
   */
  accept(item) {
    const c = item.channel;
    if (!this._at.has(c) || typeof item.epoch !== 'string' || typeof item.offset !== 'number') return false;
    const at = this._at.get(c);
    if (at && at.epoch === item.epoch && item.offset <= at.offset) return false;
    this._at.set(c, { epoch: item.epoch, offset: item.offset });
    return true;
  }

  /** A `gap` item: the channel continues after the gap's position. False when it tells nothing new. */
  gap(item) {
    const c = item.channel;
    if (!this._at.has(c)) return false;
    const at = this._at.get(c);
    if (at && at.epoch === item.epoch && at.offset === item.offset) return false;
    this._at.set(c, { epoch: item.epoch, offset: item.offset });
    return true;
  }
}

// --- http.js
// HTTP helpers every HTTP door shares: query strings, JSON requests with a deadline, streamed lines.


/** `?a=1&channel=x&channel=y` from an object; arrays repeat the name; null, undefined and '' are left out. */
function query(params) {
  const parts = [];
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v != null && v !== '') parts.push(encodeURIComponent(name) + '=' + encodeURIComponent(v));
    }
  }
  return parts.length ? '?' + parts.join('&') : '';
}

/** Whether the environment can read a response body as it arrives (the streaming doors need it). */
function canStream(env) {
  return typeof env.fetch === 'function' && typeof env.ReadableStream === 'function' &&
    typeof env.TextDecoder === 'function' && typeof env.AbortController === 'function';
}

/** An AbortController that also aborts after `ms`, and when `outer` (optional) aborts; `done()` lets go. */
function deadline(ms, outer) {
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
function networkError(e, what) {
  return e instanceof SwitchboardError ? e : new SwitchboardError(0, 'network', what + ' failed: ' + (e && e.message || e));
}

/** Fetches JSON; a non-2xx answer rejects with the server's SwitchboardError. */
async function fetchJson(url, init, ms, outer) {
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
async function readLines(response, onLine) {
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
function sleep(ms, signal) {
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
function sameList(a, b) {
  return !!a && a.length === b.length && a.every((x, i) => x === b[i]);
}

// --- state.js
// The connection's state machine: which state may follow which, and one `state` event per change.

const MOVES = {
  disconnected: ['connecting'],
  connecting: ['connected', 'reconnecting', 'disconnected'],
  connected: ['reconnecting', 'disconnected'],
  reconnecting: ['connected', 'disconnected'],
};

/** Holds the state and reports each change to `onChange({state, previous, ...detail})`. */
class StateMachine {
  constructor(onChange) {
    this.state = 'disconnected';
    this._onChange = onChange;
  }

  /** Moves to `next`; staying in the same state is a no-op (false). A move the table forbids is a bug. */
  to(next, detail) {
    if (next === this.state) return false;
    if (!MOVES[this.state] || !MOVES[this.state].includes(next)) {
      throw new Error('switchboard: state ' + this.state + ' cannot become ' + next);
    }
    const previous = this.state;
    this.state = next;
    this._onChange(Object.assign({ state: next, previous }, detail));
    return true;
  }
}

// --- backoff.js
// Reconnect delays: exponential backoff with full jitter (a random delay between 0 and the capped
// exponential), so that clients cut off together do not all come back in the same instant.

/** Delay in ms before retry number `attempt` (0 = first): random in [0, min(cap, base * 2^attempt)). */
function backoffDelay(attempt, base = 500, cap = 30000, random = Math.random) {
  const ceiling = Math.min(cap, base * Math.pow(2, Math.min(attempt, 30)));
  return Math.floor(random() * ceiling);
}

// --- connection.js
// Which transport carries the client, and what happens when it fails: fallback down the list, a
// connect timeout per transport, skipping a failed one for a while, reconnecting with backoff, and
// coming back at once when the network or the page does.


/**
 * Owns the transport of one client. `client` gives the channels and takes what arrives (its `_channels`,
 * `_positions`, `_learn`, `_item`, `_subscribed`, `_refused`, `_probe` and `_emit`); `o` holds the options.
 */
class Connection {
  constructor(client, o) {
    this._client = client;
    this._o = o;
    this._machine = new StateMachine((change) => client._emit('state', change));
    this._skipped = new Map(); // transport name -> time until which it is skipped
    this._attempt = 0;
    this._timer = null;
    this._watchTimer = null;
    this._link = null; // the link of the transport opening or open
    this.transport = null; // the open transport
    this.transportName = null;
  }

  get state() {
    return this._machine.state;
  }

  /** The transports to try, in order: supported here, not skipped (unless all are). */
  candidates() {
    const o = this._o;
    const now = Date.now();
    const usable = o.order.filter((n) => o.impls[n] && o.impls[n].supported(o.env, o.base));
    const fresh = usable.filter((n) => !(this._skipped.get(n) > now));
    return fresh.length ? fresh : usable;
  }

  /** Starts connecting if idle (the first subscription, or one after all were gone). */
  start() {
    if (this.state !== 'disconnected') return;
    this._machine.to('connecting');
    // After this tick: the app's other subscriptions of this tick go in the same first request.
    queueMicrotask(() => this.state === 'connecting' && !this._link && this._connect());
  }

  /** The channel set changed: the open transport follows it. */
  changed() {
    if (this.transport) this.transport.update();
  }

  _connect() {
    clearTimeout(this._timer);
    this._timer = null;
    const list = this.candidates();
    if (!list.length) {
      this._stop(new SwitchboardError(0, 'no_transport', 'no transport of ' + this._o.order.join(', ') + ' works here', true));
      return;
    }
    this._try(list, 0, null);
  }

  _try(list, i, lastError) {
    if (!this._client._channels().length) {
      this.pause();
      return;
    }
    if (i >= list.length) {
      this._retry(lastError);
      return;
    }
    const o = this._o;
    const client = this._client;
    const name = list[i];
    let opened = false;
    let over = false;
    let transport = null;
    const startedOnline = this._online();
    const link = {
      base: o.base,
      token: o.token,
      startedOnline,
      timeout: o.timeout,
      pollInterval: o.pollInterval,
      longPollWait: o.longPollWait,
      channels: () => client._channels(),
      cursor: (channels) => client._positions.cursor(channels),
      learn: (channels, cursor) => over || client._learn(channels, cursor),
      alive: () => {
        this._seen = Date.now();
      },
      item: (item) => over || client._item(item),
      subscribed: (channel, reply) => over || client._subscribed(channel, reply),
      refused: (channel, error) => over || client._refused(channel, error),
      opened: () => {
        if (over || opened) return;
        opened = true;
        clearTimeout(deadline);
        this._attempt = 0;
        this._skipped.delete(name);
        this._seen = Date.now();
        this.transport = transport;
        this.transportName = name;
        this._machine.to('connected', { transport: name });
        transport.update(); // channels may have changed while it opened
        this._watch(transport);
      },
      abandon: () => {
        over = true;
        clearTimeout(deadline);
        transport.close();
      },
      closed: (error) => {
        if (over) return;
        over = true;
        clearTimeout(deadline);
        transport.close();
        if (this._link === link) this._link = null;
        if (this.transport === transport) {
          this.transport = this.transportName = null;
          clearInterval(this._watchTimer);
        }
        if (error && error.fatal) {
          this._stop(error);
        } else if (isChannelRefusal(error) || (error && error.blind && !opened)) {
          // One of the request's channels is refused (or may be: a blind door cannot tell): find which,
          // drop it, and try the same door again.
          if (opened) this._machine.to('reconnecting', { error });
          client._probe().then((found) => {
            if (this._link || this.state === 'disconnected' || this._timer) return;
            if (found) this._try(list, i, error);
            else this._next(list, i, opened, name, error, startedOnline);
          });
        } else {
          this._next(list, i, opened, name, error, startedOnline);
        }
      },
    };
    const deadline = setTimeout(() => link.closed(new SwitchboardError(0, 'timeout',
      name + ' did not open within ' + o.connectTimeout + ' ms')), o.connectTimeout);
    this._link = link;
    try {
      transport = new o.impls[name](link);
      transport.open();
    } catch (e) {
      transport = transport || { close() {} };
      link.closed(new SwitchboardError(0, 'failed', name + ': ' + (e && e.message)));
    }
  }

  /** After a failure: the next transport if this one never opened, else a reconnect after a backoff. */
  _next(list, i, opened, name, error, startedOnline) {
    if (opened) {
      this._retry(error);
      return;
    }
    // Offline, every transport fails: that says nothing about the transport.
    if (startedOnline && this._online()) this._skipped.set(name, Date.now() + this._o.skipFor);
    this._try(list, i + 1, error);
  }

  _online() {
    const nav = this._o.env.navigator;
    return nav == null || nav.onLine !== false;
  }

  _retry(error) {
    if (!this._client._channels().length) {
      this.pause();
      return;
    }
    this._machine.to('reconnecting', { error });
    const o = this._o;
    const delay = backoffDelay(this._attempt++, o.reconnectDelay, o.maxReconnectDelay, o.random);
    this._timer = setTimeout(() => this._connect(), delay);
  }

  /** A transport that heartbeats and went silent for `idleTimeout` is dead, whatever the socket says. */
  _watch(transport) {
    clearInterval(this._watchTimer);
    if (!transport.heartbeat) return;
    const every = Math.max(1000, Math.min(10000, this._o.idleTimeout / 4));
    this._watchTimer = setInterval(() => this._checkIdle(), every);
    if (this._watchTimer.unref) this._watchTimer.unref();
  }

  _checkIdle() {
    if (this.transport && this.transport.heartbeat && Date.now() - this._seen > this._o.idleTimeout) {
      this._link.closed(new SwitchboardError(0, 'timeout', 'nothing arrived for ' + this._o.idleTimeout + ' ms'));
      return true;
    }
    return false;
  }

  /** The network came back or the page became visible: reconnect now instead of after the backoff. */
  wake() {
    if (this.state === 'disconnected') return;
    this._skipped.clear(); // a new network: every transport deserves a new try
    if (this.transport) {
      if (!this._checkIdle() && this.transport.check) this.transport.check();
    } else if (this._timer || (this._link && !this._link.startedOnline)) {
      // Waiting for the backoff, or trying a transport on a network that was not there: start over.
      if (this._link) this._link.abandon();
      this._link = null;
      this._attempt = 0;
      this._connect();
    }
  }

  /** The browser says it is offline: drop the transport now rather than wait for it to time out. */
  offline() {
    if (this._link) this._link.closed(new SwitchboardError(0, 'offline', 'the browser went offline'));
  }

  /** Closes the transport without reconnecting (`error`: why, for the state event); `start()` connects again. */
  pause(error) {
    clearTimeout(this._timer);
    this._timer = null;
    clearInterval(this._watchTimer);
    const link = this._link;
    this._link = null;
    this.transport = this.transportName = null;
    if (link) link.abandon();
    if (this.state !== 'disconnected') this._machine.to('disconnected', error ? { error } : undefined);
  }

  _stop(error) {
    this.pause(error);
    this._client._emit('error', error);
  }
}

// --- subscription.js
// One channel the app subscribed to: its events, its position, and the way out.


/**
 * Emits `subscribed` once the server has the subscription (what is published from then on reaches it),
 * `message` (each message once, in order), `join` and `leave` (presence), `gap` (messages were
 * lost for good: reload your state; delivery continues after the gap's position) and `error` (the server
 * refused the channel; the subscription is then over).
 */
class Subscription extends Emitter {
  constructor(client, channel) {
    super();
    this.channel = channel;
    this.active = true;
    this._client = client;
  }

  /** `'EPOCH:OFFSET'` of the last message delivered (or where delivery starts), null until known. */
  get position() {
    const p = this._client._positions.get(this.channel);
    return p ? formatPosition(p) : null;
  }

  /** The server answered for this channel: the first time, say so. */
  _live() {
    if (this._isLive || !this.active) return;
    this._isLive = true;
    this._emit('subscribed', { channel: this.channel, position: this.position });
  }

  unsubscribe() {
    if (!this.active) return;
    this.active = false;
    this._client._unsubscribe(this);
  }
}

// --- transports/ws.js
// The WebSocket door, GET /ws: JSON frames both ways; the one transport that also carries the client's
// operations (publish, presence), and subscribes channel by channel instead of per request.


// Close codes after which reconnecting as is cannot help (docs/protocol.md, "Close codes").
const FATAL_CLOSES = [4400, 4401, 4403, 4410, 4413];

class WebSocketTransport {
  static supported(env) {
    return typeof env.WebSocket === 'function';
  }

  constructor(link) {
    this.link = link;
    this.heartbeat = true; // the server sends a ping item after `heartbeat` seconds of silence
    this._calls = new Map();
    this._next = 0;
    this._subscribed = new Set();
    this._ready = false;
  }

  open() {
    const url = this.link.base.replace(/^http/, 'ws') + '/ws' + query({ token: this.link.token });
    const ws = this._ws = new WebSocket(url);
    ws.onmessage = (e) => this._frame(e.data);
    ws.onclose = (e) => this._fail(new SwitchboardError(e.code, 'closed',
      e.reason || 'the WebSocket closed (' + e.code + ')', FATAL_CLOSES.includes(e.code)));
    ws.onerror = () => {}; // a close event follows and says more
  }

  _frame(text) {
    if (this._done) return;
    this.link.alive();
    let item;
    try {
      item = JSON.parse(text);
    } catch (e) {
      return;
    }
    if (item.type === 'welcome') {
      this._ready = true;
      this.link.opened();
      this.update();
      return;
    }
    const call = item.ref != null && this._calls.get(item.ref);
    if (call) {
      this._calls.delete(item.ref);
      clearTimeout(call.timer);
      if (item.type === 'error') call.reject(itemError(item));
      else call.resolve(item);
      return;
    }
    if (item.type !== 'ping' && item.type !== 'pong') this.link.item(item);
  }

  /** Sends an op and resolves with its answer (rejects with the server's error, or when the socket goes). */
  request(frame) {
    return new Promise((resolve, reject) => {
      if (this._done || !this._ready) {
        reject(new SwitchboardError(0, 'not_connected', 'the WebSocket is not open'));
        return;
      }
      const id = ++this._next;
      const timer = setTimeout(() => {
        this._calls.delete(id);
        reject(new SwitchboardError(0, 'timeout', 'no answer to ' + frame.op));
      }, this.link.timeout);
      this._calls.set(id, { resolve, reject, timer });
      this._ws.send(JSON.stringify(Object.assign({}, frame, { id })));
    });
  }

  /** Subscribes channels added since the last call and unsubscribes removed ones, each from its position. */
  update() {
    if (!this._ready || this._done) return;
    const wanted = this.link.channels();
    for (const channel of wanted) {
      if (this._subscribed.has(channel)) continue;
      this._subscribed.add(channel);
      const since = this.link.cursor([channel]);
      this.request({ op: 'subscribe', channel, since: since === '-' ? undefined : since }).then(
        (reply) => this.link.subscribed(channel, reply),
        (error) => {
          this._subscribed.delete(channel);
          // Only the server's refusal is about the channel; a lost socket is the reconnect's business.
          if (error.status >= 400) this.link.refused(channel, error);
        });
    }
    for (const channel of this._subscribed) {
      if (wanted.includes(channel)) continue;
      this._subscribed.delete(channel);
      this.request({ op: 'unsubscribe', channel }).catch(() => {});
    }
  }

  /** After sleep or a network change: a ping must come back soon, or the socket is dead. */
  check() {
    this.request({ op: 'ping' }).catch(() => this._fail(new SwitchboardError(0, 'timeout', 'the WebSocket stopped answering')));
  }

  _fail(error) {
    if (this._done) return;
    this.close();
    this.link.closed(error);
  }

  close() {
    if (this._done) return;
    this._done = true;
    for (const call of this._calls.values()) {
      clearTimeout(call.timer);
      call.reject(new SwitchboardError(0, 'closed', 'the connection closed before the answer'));
    }
    this._calls.clear();
    const ws = this._ws;
    if (ws) {
      ws.onmessage = ws.onclose = null;
      try {
        ws.close(1000);
      } catch (e) {
        // already closing
      }
    }
  }
}

// --- transports/sse.js
// The Server-Sent Events door, GET /sse, read with fetch. EventSource only dispatches events whose
// names a listener was added for, and the server names each event after its message's event name:
// a library cannot know those in advance, so it reads the text/event-stream itself and sees every
// event (and the opening id-only block with the starting cursor, which EventSource hides).


class SseTransport {
  static supported(env) {
    return canStream(env);
  }

  constructor(link) {
    this.link = link;
    this.heartbeat = true; // `: ping` comments
    this._gen = 0;
  }

  open() {
    this._start();
  }

  update() {
    if (!sameList(this._channels, this.link.channels())) this._start();
  }

  async _start() {
    const gen = ++this._gen;
    if (this._abort) this._abort.abort();
    const link = this.link;
    const channels = this._channels = link.channels();
    if (!channels.length || this._done) return;
    const abort = this._abort = new AbortController();
    const url = link.base + '/sse' + query({ channel: channels, since: link.cursor(channels), token: link.token });
    try {
      const response = await fetch(url, { cache: 'no-store', signal: abort.signal, headers: { Accept: 'text/event-stream' } });
      if (!response.ok) throw await httpError(response);
      let data = [];
      let id = null;
      await readLines(response, (line) => {
        if (gen !== this._gen) return;
        link.alive();
        if (line === '') {
          if (data.length) {
            const item = JSON.parse(data.join('\n'));
            if (item.type === 'error') throw itemError(item);
            link.item(item);
          } else if (id !== null) {
            // The opening block: the cursor delivery starts after. The stream is up.
            link.learn(channels, id);
            link.opened();
          }
          data = [];
          id = null;
          return;
        }
        if (line[0] === ':') return;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') data.push(value);
        else if (field === 'id') id = value;
      });
      throw new SwitchboardError(0, 'closed', 'the event stream ended');
    } catch (e) {
      if (gen === this._gen) this._fail(networkError(e, '/sse'));
    }
  }

  _fail(error) {
    if (this._done) return;
    this.close();
    this.link.closed(error);
  }

  close() {
    this._done = true;
    this._gen++;
    if (this._abort) this._abort.abort();
  }
}

// --- transports/stream.js
// HTTP streaming (Comet), GET /stream: chunked NDJSON read with fetch, one item per line. The server
// ends each answer after `stream-max-bytes`; the transport then asks again from its cursor, unseen by
// the app.


class StreamTransport {
  static supported(env) {
    return canStream(env);
  }

  constructor(link) {
    this.link = link;
    this.heartbeat = true; // blank lines
    this.session = null;
    this._gen = 0;
  }

  open() {
    this._start();
  }

  update() {
    if (sameList(this._channels, this.link.channels())) return;
    // The old answer is still attached to the session for a moment: a fresh one avoids session_busy.
    this.session = null;
    this._start();
  }

  async _start() {
    const gen = ++this._gen;
    if (this._abort) this._abort.abort();
    const link = this.link;
    const channels = this._channels = link.channels();
    if (!channels.length || this._done) return;
    const abort = this._abort = new AbortController();
    const url = link.base + '/stream' + query({ channel: channels, since: link.cursor(channels),
      session: this.session, token: link.token });
    const started = Date.now();
    let opened = false;
    try {
      const response = await fetch(url, { cache: 'no-store', signal: abort.signal });
      if (!response.ok) throw await httpError(response);
      await readLines(response, (line) => {
        if (gen !== this._gen) return;
        link.alive();
        if (!line) return;
        const item = JSON.parse(line);
        if (item.type === 'open') {
          this.session = item.session;
          link.learn(channels, item.cursor);
          opened = true;
          link.opened();
        } else if (item.type === 'error') {
          throw itemError(item);
        } else {
          link.item(item);
        }
      });
      if (gen !== this._gen) return;
      // Ended after the byte cap: ask again. An answer that ends at once is a failure, not a loop.
      if (opened && Date.now() - started > 1000) return this._start();
      throw new SwitchboardError(0, 'closed', 'the stream ended');
    } catch (e) {
      if (gen === this._gen) this._fail(networkError(e, '/stream'));
    }
  }

  _fail(error) {
    if (this._done) return;
    this.close();
    this.link.closed(error);
  }

  close() {
    this._done = true;
    this._gen++;
    if (this._abort) this._abort.abort();
  }
}

// --- transports/poll.js
// Ajax polling, GET /poll: one request per `pollInterval`, each answered at once with what is after the
// cursor. Long-polling and JSONP are this loop with a `wait` and another way to ask.


class PollTransport {
  static supported(env) {
    return typeof env.fetch === 'function' && typeof env.AbortController === 'function';
  }

  constructor(link, wait) {
    this.link = link;
    this.session = null;
    this._wait = wait || 0;
    this._gen = 0;
  }

  open() {
    this._loop();
  }

  update() {
    if (sameList(this._channels, this.link.channels())) return;
    // A parked request is still attached to the session for a moment: a fresh one avoids session_busy.
    this.session = null;
    this._loop();
  }

  async _loop() {
    const gen = ++this._gen;
    if (this._abort) this._abort.abort();
    const abort = this._abort = new AbortController();
    const link = this.link;
    // The first request answers soon, which is how the transport knows it works; a long-poll's first one
    // is held for a second, so that a path that cannot hold requests (a proxy, a disabled door) shows now.
    let wait = this._wait ? 1 : 0;
    try {
      while (gen === this._gen) {
        const channels = this._channels = link.channels();
        if (!channels.length) return;
        const answer = await this._get({ channel: channels, since: link.cursor(channels), session: this.session,
          wait: wait || undefined, token: link.token }, wait, abort.signal);
        if (gen !== this._gen) return;
        link.alive();
        if (answer.session) this.session = answer.session;
        for (const item of answer.messages || []) {
          if (item.type === 'error') throw itemError(item);
          link.item(item);
        }
        link.learn(channels, answer.cursor);
        link.opened();
        wait = this._wait;
        if (!wait) await sleep(link.pollInterval, abort.signal);
      }
    } catch (e) {
      if (gen === this._gen) this._fail(networkError(e, this._path()));
    }
  }

  _path() {
    return '/poll';
  }

  /** One request: resolves with the answer `{messages, cursor, session}`. */
  _get(params, wait, signal) {
    return fetchJson(this.link.base + '/poll' + query(params), {}, wait * 1000 + this.link.timeout, signal);
  }

  _fail(error) {
    if (this._done) return;
    this.close();
    this.link.closed(error);
  }

  close() {
    this._done = true;
    this._gen++;
    if (this._abort) this._abort.abort();
  }
}

// --- transports/longpoll.js
// Ajax long-polling, GET /poll&wait=S: each request is held until something is after the cursor.


class LongPollTransport extends PollTransport {
  constructor(link) {
    super(link, link.longPollWait);
  }
}

// --- transports/jsonp.js
// JSONP long-polling (Comet), GET /jsonp: the poll answer as a script calling back a global function,
// for pages that cannot read cross-origin answers with CORS. Needs a DOM.


let jsonpCalls = 0;

class JsonpTransport extends PollTransport {
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

// --- transports/iframe.js
// The forever iframe (Comet), GET /iframe: a hidden iframe whose never-ending page calls a function of
// this page once per item. Only for a page on the server's own origin (`parent.F` must reach it).


let iframeCalls = 0;

class IframeTransport {
  static supported(env, base) {
    return !!env.document && !!env.location && new URL(base, env.location.href).origin === env.location.origin;
  }

  constructor(link) {
    this.link = link;
    this.heartbeat = true; // ping items
    this.session = null;
    this._gen = 0;
  }

  open() {
    this._start();
  }

  update() {
    if (sameList(this._channels, this.link.channels())) return;
    this.session = null; // the old answer may still hold the session for a moment
    this._start();
  }

  _start() {
    const gen = ++this._gen;
    this._remove();
    const link = this.link;
    const channels = this._channels = link.channels();
    if (!channels.length || this._done) return;
    const name = this._name = '__sbFrame' + (++iframeCalls);
    const started = Date.now();
    let opened = false;
    globalThis[name] = (item) => {
      if (gen !== this._gen) return;
      link.alive();
      if (item.type === 'open') {
        this.session = item.session;
        link.learn(channels, item.cursor);
        opened = true;
        link.opened();
      } else if (item.type === 'error') {
        this._fail(itemError(item));
      } else if (item.type !== 'ping') {
        link.item(item);
      }
    };
    const frame = this._frame = document.createElement('iframe');
    frame.style.display = 'none';
    frame.setAttribute('aria-hidden', 'true');
    // `load` means the page ended: after the byte cap (ask again), or a refusal or failure before `open`.
    frame.onload = () => {
      if (gen !== this._gen) return;
      if (opened && Date.now() - started > 1000) this._start();
      else this._fail(blind(new SwitchboardError(0, 'closed', 'the iframe stream ended'))); // its status is unreadable
    };
    frame.src = link.base + '/iframe' + query({ channel: channels, since: link.cursor(channels), session: this.session,
      callback: 'parent.' + name, token: link.token, t: Date.now() });
    (document.body || document.documentElement).appendChild(frame);
  }

  _remove() {
    if (this._frame) {
      this._frame.onload = null;
      this._frame.remove();
      this._frame = null;
    }
    if (this._name) delete globalThis[this._name];
  }

  _fail(error) {
    if (this._done) return;
    this.close();
    this.link.closed(error);
  }

  close() {
    this._done = true;
    this._gen++;
    this._remove();
  }
}

// --- transports/index.js
// Every transport by name, in the default order of preference: fastest and two-way first, plainest last.


const TRANSPORTS = {
  websocket: WebSocketTransport,
  sse: SseTransport,
  stream: StreamTransport,
  longpoll: LongPollTransport,
  jsonp: JsonpTransport,
  iframe: IframeTransport,
  poll: PollTransport,
};

const DEFAULT_ORDER = Object.keys(TRANSPORTS);

// --- switchboard.js
// Switchboard's client: one API over every door of the server, with fallback, reconnect and resume.
// Plain ES2020 modules, no dependencies; runs in browsers and in Node 18+.


const CHANNEL = /^[A-Za-z0-9_\-=@,.;:]{1,164}$/;

const DEFAULTS = {
  token: null,
  transports: null, // null: DEFAULT_ORDER
  connectTimeout: 8000, // ms a transport gets to open before the next one is tried
  skipFor: 60000, // ms a transport that failed to open is passed over
  reconnectDelay: 500, // backoff base, ms
  maxReconnectDelay: 30000, // backoff cap, ms
  timeout: 10000, // ms an operation (publish, history, a poll beyond its wait) may take
  pollInterval: 1000, // ms between polls of the `poll` transport
  longPollWait: 25, // seconds the server may hold a long-poll
  idleTimeout: 65000, // ms of silence after which a heartbeating transport counts as dead
};

/**
 * A client of one Switchboard server: `new Switchboard('https://rt.example.com', {token})`. Connects
 * when the first channel is subscribed, over the first transport that works, and keeps every
 * subscription going across failures, network changes and sleep until `close()`.
 * Emits `state` ({state, previous, transport?, error?}) and `error` (SwitchboardError).
 */
class Switchboard extends Emitter {
  constructor(url, options) {
    super();
    const o = Object.assign({}, DEFAULTS, options);
    const env = o.env || globalThis;
    const here = env.location && env.location.href;
    if (url == null && !here) throw new TypeError('switchboard: a server URL is needed outside a browser');
    const u = new URL(url == null ? env.location.origin : url, here);
    u.protocol = u.protocol.replace(/^ws/, 'http');
    this.url = (u.origin + u.pathname).replace(/\/+$/, '');
    const impls = o.transportImpls || TRANSPORTS;
    const order = o.transports || DEFAULT_ORDER;
    for (const name of order) {
      if (!impls[name]) throw new TypeError('switchboard: unknown transport ' + name);
    }
    this._o = o;
    this._subs = new Map();
    this._positions = new Positions();
    this._connection = new Connection(this, Object.assign({}, o, { env, impls, order, base: this.url }));
    this._listen(env);
  }

  /** `disconnected`, `connecting`, `connected` or `reconnecting`. */
  get state() {
    return this._connection.state;
  }

  /** The name of the transport in use (`websocket`, `sse`, …), null when not connected. */
  get transport() {
    return this._connection.transportName;
  }

  /** Subscribes to `channel` from now, or from `since` (`'EPOCH:OFFSET'`: everything after it). */
  subscribe(channel, options) {
    if (this._closed) throw new Error('switchboard: the client is closed');
    checkChannel(channel);
    if (this._subs.has(channel)) throw new Error('switchboard: already subscribed to ' + channel);
    const since = parsePosition(options && options.since);
    const sub = new Subscription(this, channel);
    this._subs.set(channel, sub);
    this._positions.set(channel, since);
    this._connection.changed();
    this._connection.start();
    return sub;
  }

  /** Publishes; resolves with the message's position `{epoch, offset}`. Over the WebSocket, else POST /send. */
  async publish(channel, event, data) {
    checkChannel(channel);
    const reply = await this._call({ op: 'publish', channel, event: event == null ? undefined : event,
      data: data === undefined ? null : data });
    return { epoch: reply.epoch, offset: reply.offset };
  }

  /** A channel's history: `{messages, cursor}`; without `since` the newest `limit` (default 100). */
  history(channel, options) {
    checkChannel(channel);
    const o = options || {};
    const since = o.since == null ? undefined : formatPosition(parsePosition(o.since));
    return fetchJson(this.url + '/history' + query({ channel, since, limit: o.limit, token: this._o.token }), {},
      this._o.timeout);
  }

  /** The members of a presence channel: `[{user, info}]`. */
  async presence(channel) {
    checkChannel(channel);
    return (await this._call({ op: 'presence', channel })).members;
  }

  /** Ends the client: closes its transport, ends every subscription, reconnects no more. */
  close() {
    if (this._closed) return;
    this._closed = true;
    this._unlisten();
    for (const sub of this._subs.values()) sub.active = false;
    this._subs.clear();
    this._connection.pause();
  }

  _unsubscribe(sub) {
    if (this._subs.get(sub.channel) !== sub) return;
    this._subs.delete(sub.channel);
    this._positions.delete(sub.channel);
    this._connection.changed();
    // An app that swaps channels (unsubscribe, then subscribe) keeps its connection; one that left all does not.
    setTimeout(() => {
      if (!this._subs.size) this._connection.pause();
    }, 0);
  }

  _channels() {
    return Array.from(this._subs.keys());
  }

  /** Routes one item from the transport: each message once and in order, gaps, presence, errors. */
  _item(item) {
    const sub = this._subs.get(item.channel);
    if (item.type === 'message') {
      if (sub && this._positions.accept(item)) sub._emit('message', item);
    } else if (item.type === 'gap') {
      if (sub && this._positions.gap(item)) sub._emit('gap', item);
    } else if (item.type === 'join' || item.type === 'leave') {
      if (sub) sub._emit(item.type, item);
    } else if (item.type === 'error') {
      this._emit('error', itemError(item));
    }
  }

  /** A WebSocket `subscribed` answer: where delivery starts when the app gave no position. */
  _subscribed(channel, reply) {
    const sub = this._subs.get(channel);
    if (!sub) return;
    if (this._positions.get(channel) === null && typeof reply.epoch === 'string') {
      this._positions.set(channel, { epoch: reply.epoch, offset: reply.offset });
    }
    sub._live();
  }

  /** An HTTP door answered for `channels` with `cursor`: positions of "from now" channels, and they are live. */
  _learn(channels, cursor) {
    this._positions.learn(channels, cursor);
    for (const channel of channels) {
      const sub = this._subs.get(channel);
      if (sub) sub._live();
    }
  }

  /** The server refused `channel`: the subscription ends with an `error` event. */
  _refused(channel, error) {
    const sub = this._subs.get(channel);
    if (!sub) return;
    sub.active = false;
    this._unsubscribe(sub);
    sub._emit('error', error);
  }

  /**
   * An HTTP door refused a request for all its channels: asks `/history` channel by channel which
   * ones are refused and ends those subscriptions. Resolves true when it found any.
   */
  async _probe() {
    const found = await Promise.all(this._channels().map((channel) =>
      fetchJson(this.url + '/history' + query({ channel, limit: 1, token: this._o.token }), {}, this._o.timeout)
        .then(() => false, (error) => {
          if (!isChannelRefusal(error)) return false;
          this._refused(channel, error);
          return true;
        })));
    return found.includes(true);
  }

  /** An op over the WebSocket when it is open, else `POST /send`. */
  async _call(frame) {
    const t = this._connection.transport;
    if (t && t.request) {
      try {
        return await t.request(frame);
      } catch (e) {
        if (e.code !== 'not_connected') throw e;
      }
    }
    const headers = { 'Content-Type': 'application/json' };
    if (this._o.token) headers.Authorization = 'Bearer ' + this._o.token;
    return fetchJson(this.url + '/send' + query({ session: t && t.session }),
      { method: 'POST', headers, body: JSON.stringify(frame) }, this._o.timeout);
  }

  /** Reconnect at once when the network comes back or the page is shown again (after sleep, say). */
  _listen(env) {
    const doc = env.document;
    const online = () => this._connection.wake();
    const offline = () => this._connection.offline();
    const visible = () => doc.visibilityState === 'visible' && this._connection.wake();
    const win = typeof env.addEventListener === 'function' ? env : null;
    const docEvents = doc && typeof doc.addEventListener === 'function' ? doc : null;
    if (win) {
      win.addEventListener('online', online);
      win.addEventListener('offline', offline);
    }
    if (docEvents) docEvents.addEventListener('visibilitychange', visible);
    this._unlisten = () => {
      if (win) {
        win.removeEventListener('online', online);
        win.removeEventListener('offline', offline);
      }
      if (docEvents) docEvents.removeEventListener('visibilitychange', visible);
    };
  }
}

Switchboard.SwitchboardError = SwitchboardError;
Switchboard.TRANSPORTS = DEFAULT_ORDER;

function checkChannel(channel) {
  if (typeof channel !== 'string' || !CHANNEL.test(channel)) {
    throw new TypeError('switchboard: not a channel name: ' + channel);
  }
}

export { Switchboard, SwitchboardError };
