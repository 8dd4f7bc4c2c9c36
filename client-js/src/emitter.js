// A minimal event emitter: listeners run in registration order; one that throws does not stop the others.

export class Emitter {
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
