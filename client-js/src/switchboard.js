// Switchboard's client: one API over every door of the server, with fallback, reconnect and resume.
// Plain ES2020 modules, no dependencies; runs in browsers and in Node 18+.

import { Emitter } from './emitter.js';
import { SwitchboardError, isChannelRefusal, itemError } from './errors.js';
import { Positions, formatPosition, parsePosition } from './cursor.js';
import { fetchJson, query } from './http.js';
import { Connection } from './connection.js';
import { Subscription } from './subscription.js';
import { DEFAULT_ORDER, TRANSPORTS } from './transports/index.js';

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
export class Switchboard extends Emitter {
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

export { SwitchboardError };
