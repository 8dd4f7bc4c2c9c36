import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Switchboard } from '../src/switchboard.js';
import { DEFAULT_ORDER } from '../src/transports/index.js';
import { client, fakeEnv, fakeTransports, nextState } from './fakes.mjs';

const ORDER = ['websocket', 'sse', 'stream', 'longpoll', 'jsonp', 'iframe', 'poll'];

test('the default order is websocket, sse, stream, longpoll, jsonp, iframe, poll', () => {
  assert.deepEqual(DEFAULT_ORDER, ORDER);
  assert.deepEqual(Switchboard.TRANSPORTS, ORDER);
});

test('each failed transport hands over to the next, in order, until one opens', async () => {
  const fakes = fakeTransports(ORDER, { websocket: 'fail', sse: 'fail', stream: 'fail', longpoll: 'open' });
  const sb = client(fakes);
  sb.subscribe('news');
  const connected = await nextState(sb, 'connected');
  assert.equal(connected.transport, 'longpoll');
  assert.deepEqual(fakes.opened, ['websocket', 'sse', 'stream', 'longpoll']);
  sb.close();
});

test('the last transport of the list is reached when all others fail', async () => {
  const plan = Object.fromEntries(ORDER.map((n) => [n, 'fail']));
  plan.poll = 'open';
  const fakes = fakeTransports(ORDER, plan);
  const sb = client(fakes);
  sb.subscribe('news');
  assert.equal((await nextState(sb, 'connected')).transport, 'poll');
  assert.deepEqual(fakes.opened, ORDER);
  sb.close();
});

test('transports this environment lacks are not tried', async () => {
  const fakes = fakeTransports(ORDER, {}, ['websocket', 'jsonp', 'iframe']);
  const sb = client(fakes);
  sb.subscribe('news');
  assert.equal((await nextState(sb, 'connected')).transport, 'sse');
  assert.deepEqual(fakes.opened, ['sse']);
  sb.close();
});

test('a transport that does not open within connectTimeout is closed and the next one tried', async () => {
  const fakes = fakeTransports(['websocket', 'sse'], { websocket: 'hang' });
  const sb = client(fakes, { connectTimeout: 30 });
  sb.subscribe('news');
  const started = Date.now();
  assert.equal((await nextState(sb, 'connected')).transport, 'sse');
  assert.ok(Date.now() - started >= 25, 'it waited for the timeout');
  assert.ok(fakes.instances[0].closed, 'the hanging transport was closed');
  sb.close();
});

test('the transports option forces the list and its order', async () => {
  const fakes = fakeTransports(ORDER);
  const sb = client(fakes, { transports: ['poll', 'sse'] });
  sb.subscribe('news');
  assert.equal((await nextState(sb, 'connected')).transport, 'poll');
  assert.deepEqual(fakes.opened, ['poll']);
  sb.close();
  assert.throws(() => client(fakes, { transports: ['carrier-pigeon'] }), /unknown transport/);
});

test('a transport that failed to open is skipped for skipFor, then tried again', async () => {
  let wsWorks = false;
  const fakes = fakeTransports(['websocket', 'sse'], {
    websocket: (t) => queueMicrotask(() => (wsWorks ? t.link.opened() : t.link.closed())),
  });
  const sb = client(fakes, { skipFor: 60 });
  sb.subscribe('news');
  assert.equal((await nextState(sb, 'connected')).transport, 'sse');
  wsWorks = true;
  fakes.last().drop(); // within skipFor: the WebSocket is not tried again
  assert.equal((await nextState(sb, 'connected')).transport, 'sse');
  assert.deepEqual(fakes.opened, ['websocket', 'sse', 'sse']);
  await new Promise((r) => setTimeout(r, 70));
  fakes.last().drop(); // skipFor is over
  assert.equal((await nextState(sb, 'connected')).transport, 'websocket');
  assert.deepEqual(fakes.opened, ['websocket', 'sse', 'sse', 'websocket']);
  sb.close();
});

test('when every transport fails the client backs off and starts over from the first', async () => {
  let round = 0;
  const fakes = fakeTransports(['websocket', 'sse'], {
    websocket: (t) => queueMicrotask(() => t.link.closed()),
    sse: (t) => queueMicrotask(() => (round++ < 2 ? t.link.closed() : t.link.opened())),
  });
  const delays = [];
  const sb = client(fakes, { reconnectDelay: 8, maxReconnectDelay: 1000, random: () => 0.5 });
  sb.on('state', (c) => c.state === 'reconnecting' && delays.push(Date.now()));
  sb.subscribe('news');
  assert.equal((await nextState(sb, 'connected')).transport, 'sse');
  // Round 1 fails, wait, round 2 (all skipped: all are tried again) fails, wait, round 3 opens.
  assert.deepEqual(fakes.opened, ['websocket', 'sse', 'websocket', 'sse', 'websocket', 'sse']);
  assert.equal(delays.length, 1, 'one move to reconnecting; it stays there between rounds');
  sb.close();
});

test('going offline drops the transport; coming online reconnects at once, not after the backoff', async () => {
  const fakes = fakeTransports(['websocket']);
  const env = fakeEnv();
  const sb = client(fakes, { env, reconnectDelay: 60000, maxReconnectDelay: 60000, random: () => 0.99 });
  sb.subscribe('news');
  await nextState(sb, 'connected');
  env.navigator.onLine = false;
  env.dispatchEvent(new Event('offline'));
  assert.equal(sb.state, 'reconnecting');
  assert.ok(fakes.instances[0].closed);
  env.navigator.onLine = true;
  const started = Date.now();
  env.dispatchEvent(new Event('online'));
  await nextState(sb, 'connected');
  assert.ok(Date.now() - started < 1000, 'did not wait for the minute-long backoff');
  assert.equal(fakes.instances.length, 2);
  sb.close();
});

test('failures while offline do not get transports skipped', async () => {
  const env = fakeEnv();
  const fakes = fakeTransports(['websocket', 'sse'], {
    websocket: (t) => queueMicrotask(() => (env.navigator.onLine ? t.link.opened() : t.link.closed())),
    sse: (t) => queueMicrotask(() => (env.navigator.onLine ? t.link.opened() : t.link.closed())),
  });
  const sb = client(fakes, { env, reconnectDelay: 60000, maxReconnectDelay: 60000, random: () => 0.99 });
  env.navigator.onLine = false;
  sb.subscribe('news');
  await nextState(sb, 'reconnecting');
  env.navigator.onLine = true;
  env.dispatchEvent(new Event('online'));
  assert.equal((await nextState(sb, 'connected')).transport, 'websocket');
  sb.close();
});

test('a page shown again after sleep gets a silent heartbeating transport replaced at once', async () => {
  const fakes = fakeTransports(['websocket']);
  const env = fakeEnv();
  env.document = new EventTarget();
  env.document.visibilityState = 'hidden';
  const sb = client(fakes, { env, idleTimeout: 20 });
  sb.subscribe('news');
  await nextState(sb, 'connected');
  fakes.last().heartbeat = true; // like the WebSocket: the server speaks at least every heartbeat
  fakes.last().check = () => { fakes.last().checked = true; };
  env.document.visibilityState = 'visible';
  env.document.dispatchEvent(new Event('visibilitychange'));
  assert.ok(fakes.last().checked, 'a live transport is asked to check itself');
  await new Promise((r) => setTimeout(r, 30)); // "asleep": nothing arrived for longer than idleTimeout
  env.document.dispatchEvent(new Event('visibilitychange'));
  assert.equal(sb.state, 'reconnecting');
  await nextState(sb, 'connected');
  assert.equal(fakes.instances.length, 2);
  sb.close();
});

test('coming online while a transport tried offline is still failing starts over from the first, skipping none', async () => {
  const env = fakeEnv();
  const pending = [];
  const fakes = fakeTransports(['websocket', 'sse', 'poll'], {
    // Offline, an attempt fails only later (a WebSocket handshake timing out, say).
    websocket: (t) => (env.navigator.onLine ? queueMicrotask(() => t.link.opened()) : pending.push(t)),
    sse: (t) => queueMicrotask(() => (env.navigator.onLine ? t.link.opened() : t.link.closed())),
  });
  const sb = client(fakes, { env });
  sb.subscribe('news');
  await nextState(sb, 'connected');
  env.navigator.onLine = false;
  env.dispatchEvent(new Event('offline'));
  await new Promise((r) => setTimeout(r, 20)); // the backoff runs out: a WebSocket attempt starts, offline
  assert.equal(pending.length, 1);
  env.navigator.onLine = true;
  env.dispatchEvent(new Event('online'));
  pending[0].link.closed(); // the offline attempt fails now, online: it must not get the WebSocket skipped
  assert.equal((await nextState(sb, 'connected')).transport, 'websocket');
  assert.ok(pending[0].closed);
  sb.close();
});

test('a door that cannot read statuses (JSONP, iframe) gets its channels checked before it is given up', async () => {
  const { SwitchboardError, blind } = await import('../src/errors.js');
  const fakes = fakeTransports(['jsonp', 'poll'], {
    jsonp: (t) => queueMicrotask(() => (t.link.channels().includes('private-x')
      ? t.link.closed(blind(new SwitchboardError(0, 'network', 'the JSONP request failed')))
      : t.link.opened())),
  });
  const sb = client(fakes);
  let probed = 0;
  sb._probe = async () => {
    probed++;
    sb._refused('private-x', new SwitchboardError(401, 'unauthorized', 'needs a token'));
    return true;
  };
  const errors = [];
  sb.subscribe('news');
  sb.subscribe('private-x').on('error', (e) => errors.push(e.status));
  assert.equal((await nextState(sb, 'connected')).transport, 'jsonp');
  assert.equal(probed, 1);
  assert.deepEqual(errors, [401]);
  assert.deepEqual(fakes.opened, ['jsonp', 'jsonp']);
  sb.close();
});
