// One channel the app subscribed to: its events, its position, and the way out.

import { Emitter } from './emitter.js';
import { formatPosition } from './cursor.js';

/**
 * Emits `subscribed` once the server has the subscription (what is published from then on reaches it),
 * `message` (each message once, in order), `join` and `leave` (presence), `gap` (messages were
 * lost for good: reload your state; delivery continues after the gap's position) and `error` (the server
 * refused the channel; the subscription is then over).
 */
export class Subscription extends Emitter {
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
