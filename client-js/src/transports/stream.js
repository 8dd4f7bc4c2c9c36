// HTTP streaming (Comet), GET /stream: chunked NDJSON read with fetch, one item per line. The server
// ends each answer after `stream-max-bytes`; the transport then asks again from its cursor, unseen by
// the app.

import { SwitchboardError, httpError, itemError } from '../errors.js';
import { canStream, networkError, query, readLines, sameList } from '../http.js';

export class StreamTransport {
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
