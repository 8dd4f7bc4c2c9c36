// Fake transports for the client's unit tests: each does what the test scripts (open, fail, hang) and
// records what the client asked of it.
import { Switchboard, SwitchboardError } from '../src/switchboard.js';

/**
 * Transport classes named `names`; `plan[name]` is what its next open does: 'open', 'fail', 'hang', or a
 * function(transport). `unsupported` names report they cannot run here.
 */
export function fakeTransports(names, plan = {}, unsupported = []) {
  const opened = []; // names, in the order the client opened them
  const instances = [];
  const impls = {};
  for (const name of names) {
    impls[name] = class {
      static supported() {
        return !unsupported.includes(name);
      }

      constructor(link) {
        this.link = link;
        this.name = name;
        this.heartbeat = false;
        this.closed = false;
        this.updates = 0;
        instances.push(this);
      }

      open() {
        opened.push(name);
        this.cursorAtOpen = this.link.cursor(this.link.channels());
        const p = typeof plan[name] === 'function' ? plan[name] : ({
          open: (t) => queueMicrotask(() => t.link.opened()),
          fail: (t) => queueMicrotask(() => t.link.closed(new SwitchboardError(0, 'network', name + ' is down'))),
          hang: () => {},
        })[plan[name] || 'open'];
        p(this);
      }

      update() {
        this.updates++;
      }

      close() {
        this.closed = true;
      }

      /** Test helper: the server dropped this transport. */
      drop(error = new SwitchboardError(0, 'closed', 'dropped')) {
        this.link.closed(error);
      }
    };
  }
  return { impls, opened, instances, last: () => instances[instances.length - 1] };
}

/** A stand-in for `window`: online/offline events and navigator.onLine. */
export function fakeEnv() {
  const env = new EventTarget();
  env.navigator = { onLine: true };
  return env;
}

/** A client on fake transports with test-friendly timings (overridable). */
export function client(fakes, options = {}) {
  return new Switchboard('http://127.0.0.1:1', Object.assign({
    transportImpls: fakes.impls,
    transports: Object.keys(fakes.impls),
    env: fakeEnv(),
    reconnectDelay: 1,
    maxReconnectDelay: 5,
    connectTimeout: 1000,
  }, options));
}

/** Resolves with the first state change to `state`. */
export function nextState(sb, state) {
  return new Promise((resolve) => {
    const off = sb.on('state', (change) => {
      if (change.state === state) {
        off();
        resolve(change);
      }
    });
  });
}

/** A `message` item of `channel` at `offset` in `epoch`. */
export function message(channel, offset, epoch = 'e1') {
  return { type: 'message', channel, event: 'message', data: { n: offset }, epoch, offset, ts: 0 };
}
