import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { SwitchboardError } from '../src/errors.js';
import { client, fakeTransports, message, nextState } from './fakes.mjs';

test('across reconnects the app sees each message once and in order, and each transport resumes from the cursor', async () => {
  const fakes = fakeTransports(['sse']);
  const sb = client(fakes);
  const seen = [];
  sb.subscribe('news').on('message', (m) => seen.push(m.offset));
  await nextState(sb, 'connected');
  assert.equal(fakes.last().cursorAtOpen, '-');
  fakes.last().link.learn(['news'], 'e1:0');
  for (const o of [1, 2, 3]) fakes.last().link.item(message('news', o));
  fakes.last().drop();
  await nextState(sb, 'connected');
  assert.equal(fakes.last().cursorAtOpen, 'e1:3', 'the new transport asks from the last delivered message');
  for (const o of [2, 3, 4, 5]) fakes.last().link.item(message('news', o)); // an overlapping replay
  fakes.last().drop();
  await nextState(sb, 'connected');
  assert.equal(fakes.last().cursorAtOpen, 'e1:5');
  assert.deepEqual(seen, [1, 2, 3, 4, 5]);
  sb.close();
});

test('a transport that closed delivers nothing more', async () => {
  const fakes = fakeTransports(['sse']);
  const sb = client(fakes);
  const seen = [];
  sb.subscribe('news').on('message', (m) => seen.push(m.offset));
  await nextState(sb, 'connected');
  const old = fakes.last();
  old.drop();
  await nextState(sb, 'connected');
  old.link.item(message('news', 1)); // a late item of the dead transport
  fakes.last().link.item(message('news', 2));
  assert.deepEqual(seen, [2]);
  sb.close();
});

test('subscribing from a position resumes after it; the subscription reports where it is', async () => {
  const fakes = fakeTransports(['sse']);
  const sb = client(fakes);
  const sub = sb.subscribe('news', { since: 'e1:10' });
  const also = sb.subscribe('other', { since: { epoch: 'x', offset: 2 } });
  await nextState(sb, 'connected');
  assert.equal(fakes.last().cursorAtOpen, 'e1:10,x:2');
  assert.equal(sub.position, 'e1:10');
  fakes.last().link.item(message('news', 11));
  assert.equal(sub.position, 'e1:11');
  assert.equal(also.position, 'x:2');
  assert.throws(() => sb.subscribe('bad', { since: 'nope' }), TypeError);
  assert.throws(() => sb.subscribe('bad channel'), TypeError);
  assert.throws(() => sb.subscribe('news'), /already subscribed/);
  sb.close();
});

test('a gap reaches the app, and delivery continues after its position', async () => {
  const fakes = fakeTransports(['sse']);
  const sb = client(fakes);
  const sub = sb.subscribe('news', { since: 'old:50' });
  const events = [];
  sub.on('gap', (g) => events.push('gap ' + g.epoch + ':' + g.offset));
  sub.on('message', (m) => events.push('message ' + m.epoch + ':' + m.offset));
  await nextState(sb, 'connected');
  const link = fakes.last().link;
  link.item({ type: 'gap', channel: 'news', epoch: 'new', offset: 7 });
  link.item(message('news', 7, 'new'));
  link.item(message('news', 8, 'new'));
  assert.deepEqual(events, ['gap new:7', 'message new:8']);
  assert.equal(sub.position, 'new:8');
  sb.close();
});

test('presence items and errors reach the subscription and the client', async () => {
  const fakes = fakeTransports(['websocket']);
  const sb = client(fakes);
  const sub = sb.subscribe('presence-room');
  const got = [];
  sub.on('join', (i) => got.push('join ' + i.user));
  sub.on('leave', (i) => got.push('leave ' + i.user));
  sb.on('error', (e) => got.push('error ' + e.status));
  await nextState(sb, 'connected');
  fakes.last().link.item({ type: 'join', channel: 'presence-room', user: 'u1' });
  fakes.last().link.item({ type: 'leave', channel: 'presence-room', user: 'u1' });
  fakes.last().link.item({ type: 'error', code: 503, reason: 'busy' });
  assert.deepEqual(got, ['join u1', 'leave u1', 'error 503']);
  sb.close();
});

test('a channel the server refuses ends its subscription with an error; the others go on', async () => {
  const fakes = fakeTransports(['websocket']);
  const sb = client(fakes);
  const ok = sb.subscribe('news');
  const refused = sb.subscribe('private-x');
  const errors = [];
  refused.on('error', (e) => errors.push(e.status));
  await nextState(sb, 'connected');
  fakes.last().link.refused('private-x', new SwitchboardError(403, 'forbidden', 'no'));
  assert.deepEqual(errors, [403]);
  assert.equal(refused.active, false);
  assert.equal(ok.active, true);
  assert.equal(sb.state, 'connected');
  assert.ok(fakes.last().updates >= 2, 'the transport was told the channels changed');
  assert.deepEqual(fakes.last().link.channels(), ['news']);
  sb.close();
});

test('publish goes over the transport when it carries requests, else POST /send with the session', async () => {
  const bodies = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      bodies.push({ url: req.url, body: JSON.parse(body) });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ type: 'ack', epoch: 'h', offset: 9, session: 's1' }));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const fakes = fakeTransports(['websocket', 'poll'], {
      websocket: (t) => {
        t.request = async (frame) => ({ type: 'ack', epoch: 'w', offset: frame.data.n });
        queueMicrotask(() => t.link.opened());
      },
      poll: (t) => {
        t.session = 'sess-1';
        queueMicrotask(() => t.link.opened());
      },
    });
    const base = 'http://127.0.0.1:' + server.address().port;
    const { Switchboard } = await import('../src/switchboard.js');
    const ws = new Switchboard(base, { transportImpls: fakes.impls, transports: ['websocket'], env: {} });
    ws.subscribe('news');
    await nextState(ws, 'connected');
    assert.deepEqual(await ws.publish('news', 'say', { n: 4 }), { epoch: 'w', offset: 4 });
    ws.close();
    assert.equal(bodies.length, 0);

    const poll = new Switchboard(base, { transportImpls: fakes.impls, transports: ['poll'], env: {} });
    assert.deepEqual(await poll.publish('news', 'say', { n: 5 }), { epoch: 'h', offset: 9 }, 'not connected: /send');
    poll.subscribe('news');
    await nextState(poll, 'connected');
    await poll.publish('news', null, [1]);
    poll.close();
    assert.deepEqual(bodies, [
      { url: '/send', body: { op: 'publish', channel: 'news', event: 'say', data: { n: 5 } } },
      { url: '/send?session=sess-1', body: { op: 'publish', channel: 'news', data: [1] } },
    ]);
  } finally {
    server.close();
  }
});

test('errors of POST /send reject with the server status, code and reason', async () => {
  const server = createServer((req, res) => {
    res.writeHead(401, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: 'unauthorized', reason: 'presence-room needs a token that allows it' }));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { Switchboard } = await import('../src/switchboard.js');
    const sb = new Switchboard('http://127.0.0.1:' + server.address().port, { env: {} });
    await assert.rejects(sb.presence('presence-room'), (e) => e instanceof SwitchboardError && e.status === 401 &&
      e.code === 'unauthorized' && /needs a token/.test(e.message));
    sb.close();
  } finally {
    server.close();
  }
});

test('the server URL may be ws: or carry a trailing slash; in a browser it defaults to the page origin', async () => {
  const { Switchboard } = await import('../src/switchboard.js');
  assert.equal(new Switchboard('ws://127.0.0.1:8080/', { env: {} }).url, 'http://127.0.0.1:8080');
  assert.equal(new Switchboard('wss://rt.example.com/sb/', { env: {} }).url, 'https://rt.example.com/sb');
  const page = { location: { href: 'https://app.example.com/x/y', origin: 'https://app.example.com' } };
  assert.equal(new Switchboard(null, { env: page }).url, 'https://app.example.com');
  assert.equal(new Switchboard('/rt', { env: page }).url, 'https://app.example.com/rt');
  assert.throws(() => new Switchboard(null, { env: {} }), /URL is needed/);
});

test('a subscription says subscribed once, when a door first answers for its channel', async () => {
  const fakes = fakeTransports(['sse', 'websocket']);
  const sb = client(fakes, { transports: ['sse'] });
  const a = sb.subscribe('a');
  const b = sb.subscribe('b', { since: 'e:4' });
  const said = [];
  a.on('subscribed', (s) => said.push(s.channel + '@' + s.position));
  b.on('subscribed', (s) => said.push(s.channel + '@' + s.position));
  await nextState(sb, 'connected');
  assert.deepEqual(said, [], 'opening the transport is not enough');
  fakes.last().link.learn(['a', 'b'], 'e:9,e:4');
  fakes.last().link.learn(['a', 'b'], 'e:9,e:4');
  fakes.last().drop();
  await nextState(sb, 'connected');
  fakes.last().link.learn(['a', 'b'], 'e:9,e:4');
  assert.deepEqual(said, ['a@e:9', 'b@e:4']);

  const ws = client(fakes, { transports: ['websocket'] });
  const c = ws.subscribe('c');
  c.on('subscribed', (s) => said.push(s.channel + '@' + s.position));
  await nextState(ws, 'connected');
  fakes.last().link.subscribed('c', { type: 'subscribed', channel: 'c', epoch: 'w', offset: 2 });
  assert.deepEqual(said.slice(2), ['c@w:2']);
  sb.close();
  ws.close();
});
