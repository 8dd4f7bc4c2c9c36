import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StateMachine } from '../src/state.js';
import { client, fakeTransports, nextState } from './fakes.mjs';

test('the state machine allows the documented moves and reports each change once', () => {
  const changes = [];
  const m = new StateMachine((c) => changes.push(c));
  assert.equal(m.state, 'disconnected');
  m.to('connecting');
  m.to('connected', { transport: 'sse' });
  assert.equal(m.to('connected'), false, 'no event for staying');
  m.to('reconnecting');
  m.to('connected', { transport: 'poll' });
  m.to('disconnected');
  assert.deepEqual(changes.map((c) => c.previous + '>' + c.state + (c.transport ? ':' + c.transport : '')), [
    'disconnected>connecting', 'connecting>connected:sse', 'connected>reconnecting', 'reconnecting>connected:poll',
    'connected>disconnected',
  ]);
});

test('moves the table forbids are bugs', () => {
  const m = new StateMachine(() => {});
  assert.throws(() => m.to('connected'), /disconnected cannot become connected/);
  assert.throws(() => m.to('reconnecting'));
  m.to('connecting');
  m.to('connected');
  assert.throws(() => m.to('connecting'));
});

test('a client connects on its first subscription, reconnects after a drop, and is disconnected when closed', async () => {
  const fakes = fakeTransports(['websocket']);
  const sb = client(fakes);
  const states = [];
  sb.on('state', (c) => states.push(c.state + (c.transport ? ':' + c.transport : '')));
  assert.equal(sb.state, 'disconnected');
  sb.subscribe('news');
  assert.equal(sb.state, 'connecting');
  await nextState(sb, 'connected');
  assert.equal(sb.transport, 'websocket');
  fakes.last().drop();
  assert.equal(sb.state, 'reconnecting');
  assert.equal(sb.transport, null);
  await nextState(sb, 'connected');
  sb.close();
  assert.equal(sb.state, 'disconnected');
  assert.ok(fakes.instances.every((t) => t.closed), 'every transport was closed');
  assert.deepEqual(states, ['connecting', 'connected:websocket', 'reconnecting', 'connected:websocket', 'disconnected']);
  assert.throws(() => sb.subscribe('news'), /closed/);
});

test('a client whose last subscription ends disconnects; a swap of channels keeps the connection', async () => {
  const fakes = fakeTransports(['websocket']);
  const sb = client(fakes);
  const a = sb.subscribe('a');
  await nextState(sb, 'connected');
  a.unsubscribe();
  const b = sb.subscribe('b'); // same tick: a swap
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(sb.state, 'connected');
  assert.equal(fakes.instances.length, 1);
  b.unsubscribe();
  await nextState(sb, 'disconnected');
  assert.ok(fakes.last().closed);
  sb.subscribe('c');
  await nextState(sb, 'connected');
  assert.equal(fakes.instances.length, 2);
  sb.close();
});

test('a fatal error (a bad token, a server-side disconnect) stops reconnecting and is reported', async () => {
  const fakes = fakeTransports(['websocket']);
  const sb = client(fakes);
  const errors = [];
  sb.on('error', (e) => errors.push(e.status));
  sb.subscribe('news');
  await nextState(sb, 'connected');
  const { SwitchboardError } = await import('../src/errors.js');
  const disconnected = nextState(sb, 'disconnected');
  fakes.last().drop(new SwitchboardError(4410, 'closed', 'disconnected by the server', true));
  assert.equal(sb.state, 'disconnected');
  assert.equal((await disconnected).error.status, 4410, 'the state change says why');
  assert.deepEqual(errors, [4410]);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(fakes.instances.length, 1, 'no reconnect');
  sb.close();
});
