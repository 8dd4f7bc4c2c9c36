import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Positions, formatPosition, parsePosition } from '../src/cursor.js';
import { message } from './fakes.mjs';

test('positions parse from strings and objects; "from now" is null', () => {
  assert.deepEqual(parsePosition('q7Zc:42'), { epoch: 'q7Zc', offset: 42 });
  assert.deepEqual(parsePosition({ epoch: 'a-b_c', offset: 0 }), { epoch: 'a-b_c', offset: 0 });
  for (const now of [undefined, null, '', '-']) assert.equal(parsePosition(now), null);
  for (const bad of ['q7Zc', 'q7Zc:', ':1', 'q7Zc:-1', 'q7Zc:01', 'q/Zc:1', 'x'.repeat(17) + ':1', 42, { epoch: 'a' }]) {
    assert.throws(() => parsePosition(bad), TypeError, String(bad));
  }
  assert.equal(formatPosition({ epoch: 'e', offset: 7 }), 'e:7');
  assert.equal(formatPosition(null), '-');
});

test('the cursor names each channel in the order asked, - for "from now"', () => {
  const p = new Positions();
  p.set('a', { epoch: 'e', offset: 3 });
  p.set('b', null);
  assert.equal(p.cursor(['b', 'a']), '-,e:3');
  assert.equal(p.cursor(['a']), 'e:3');
});

test('each message is accepted once and in order; replays and repeats are dropped', () => {
  const p = new Positions();
  p.set('a', null);
  const seen = [1, 2, 3, 2, 3, 4, 1, 5, 5].map((o) => message('a', o)).filter((m) => p.accept(m)).map((m) => m.offset);
  assert.deepEqual(seen, [1, 2, 3, 4, 5]);
  assert.equal(p.cursor(['a']), 'e1:5');
});

test('a subscription from a position drops what it already has', () => {
  const p = new Positions();
  p.set('a', parsePosition('e1:10'));
  assert.equal(p.accept(message('a', 9)), false);
  assert.equal(p.accept(message('a', 10)), false);
  assert.equal(p.accept(message('a', 11)), true);
});

test('channels are deduplicated separately', () => {
  const p = new Positions();
  p.set('a', null);
  p.set('b', null);
  assert.equal(p.accept(message('a', 1)), true);
  assert.equal(p.accept(message('b', 1)), true);
  assert.equal(p.accept(message('b', 1)), false);
  assert.equal(p.accept(message('c', 1)), false, 'a channel not subscribed is never new');
});

test('a gap moves the position to the new epoch; later messages of it are new, a repeated gap is not', () => {
  const p = new Positions();
  p.set('a', parsePosition('old:7'));
  const gap = { type: 'gap', channel: 'a', epoch: 'new', offset: 3 };
  assert.equal(p.gap(gap), true);
  assert.equal(p.gap(gap), false);
  assert.equal(p.accept(message('a', 3, 'new')), false);
  assert.equal(p.accept(message('a', 4, 'new')), true);
  assert.equal(p.cursor(['a']), 'new:4');
});

test('a server cursor fills in unknown positions only', () => {
  const p = new Positions();
  p.set('a', null);
  p.set('b', parsePosition('e:5'));
  p.set('c', null);
  p.learn(['a', 'b', 'c'], 'e:9,e:8,-');
  assert.equal(p.cursor(['a', 'b', 'c']), 'e:9,e:5,-');
  p.learn(['a', 'b'], 'x:1'); // wrong slot count: ignored
  p.learn(['c'], 'garbage');
  assert.equal(p.cursor(['a', 'b', 'c']), 'e:9,e:5,-');
});
