// The WebSocket door, GET /ws: JSON frames both ways; the one transport that also carries the client's
// operations (publish, presence), and subscribes channel by channel instead of per request.

import { SwitchboardError, itemError } from '../errors.js';
import { query } from '../http.js';

// Close codes after which reconnecting as is cannot help (docs/protocol.md, "Close codes").
const FATAL_CLOSES = [4400, 4401, 4403, 4410, 4413];

export class WebSocketTransport {
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
