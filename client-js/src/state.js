// The connection's state machine: which state may follow which, and one `state` event per change.

const MOVES = {
  disconnected: ['connecting'],
  connecting: ['connected', 'reconnecting', 'disconnected'],
  connected: ['reconnecting', 'disconnected'],
  reconnecting: ['connected', 'disconnected'],
};

/** Holds the state and reports each change to `onChange({state, previous, ...detail})`. */
export class StateMachine {
  constructor(onChange) {
    this.state = 'disconnected';
    this._onChange = onChange;
  }

  /** Moves to `next`; staying in the same state is a no-op (false). A move the table forbids is a bug. */
  to(next, detail) {
    if (next === this.state) return false;
    if (!MOVES[this.state] || !MOVES[this.state].includes(next)) {
      throw new Error('switchboard: state ' + this.state + ' cannot become ' + next);
    }
    const previous = this.state;
    this.state = next;
    this._onChange(Object.assign({ state: next, previous }, detail));
    return true;
  }
}
