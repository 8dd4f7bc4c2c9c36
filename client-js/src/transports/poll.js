// Ajax polling, GET /poll: one request per `pollInterval`, each answered at once with what is after the
// cursor. Long-polling and JSONP are this loop with a `wait` and another way to ask.

import { itemError } from '../errors.js';
import { fetchJson, networkError, query, sameList, sleep } from '../http.js';

export class PollTransport {
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
