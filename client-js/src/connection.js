// Which transport carries the client, and what happens when it fails: fallback down the list, a
// connect timeout per transport, skipping a failed one for a while, reconnecting with backoff, and
// coming back at once when the network or the page does.

import { StateMachine } from './state.js';
import { backoffDelay } from './backoff.js';
import { SwitchboardError, isChannelRefusal } from './errors.js';

/**
 * Owns the transport of one client. `client` gives the channels and takes what arrives (its `_channels`,
 * `_positions`, `_learn`, `_item`, `_subscribed`, `_refused`, `_probe` and `_emit`); `o` holds the options.
 */
export class Connection {
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
