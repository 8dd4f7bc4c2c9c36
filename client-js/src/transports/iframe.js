// The forever iframe (Comet), GET /iframe: a hidden iframe whose never-ending page calls a function of
// this page once per item. Only for a page on the server's own origin (`parent.F` must reach it).

import { SwitchboardError, blind, itemError } from '../errors.js';
import { query, sameList } from '../http.js';

let iframeCalls = 0;

export class IframeTransport {
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
