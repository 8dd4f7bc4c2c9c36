// Positions, cursors and deduplication: the client's record of what it has delivered on each channel.

const POSITION = /^([A-Za-z0-9_-]{1,16}):(0|[1-9][0-9]{0,15})$/;

/**
 * A position given by the app — `'EPOCH:OFFSET'`, `{epoch, offset}`, or null/undefined/''/'-' for
 * "from now" (null) — as `{epoch, offset}` or null. Throws a TypeError for anything else.
 */
export function parsePosition(p) {
  if (p == null || p === '' || p === '-') return null;
  if (typeof p === 'object' && typeof p.epoch === 'string' && Number.isInteger(p.offset)) {
    return parsePosition(p.epoch + ':' + p.offset);
  }
  const m = typeof p === 'string' && POSITION.exec(p);
  if (!m) throw new TypeError('not a position (EPOCH:OFFSET): ' + p);
  return { epoch: m[1], offset: Number(m[2]) };
}

/** `'EPOCH:OFFSET'`, or `'-'` (from now) for null. */
export function formatPosition(p) {
  return p ? p.epoch + ':' + p.offset : '-';
}

/**
 * The position of every subscribed channel: the last message delivered to the app (or the position the
 * server said delivery starts after). It builds the cursor each door resumes from, and drops items
 * already delivered, so that the app sees each message once and in order across reconnects and doors.
 */
export class Positions {
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
