// The Server-Sent Events door, GET /sse, read with fetch. EventSource only dispatches events whose
// names a listener was added for, and the server names each event after its message's event name:
// a library cannot know those in advance, so it reads the text/event-stream itself and sees every
// event (and the opening id-only block with the starting cursor, which EventSource hides).

import { SwitchboardError, httpError, itemError } from '../errors.js';
import { canStream, networkError, query, readLines, sameList } from '../http.js';

export class SseTransport {
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
