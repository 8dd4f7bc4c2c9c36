import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from '../src/backoff.js';

test('the delay of retry n is below base * 2^n', () => {
  for (let n = 0; n < 6; n++) {
    assert.equal(backoffDelay(n, 500, 30000, () => 0), 0);
    const top = backoffDelay(n, 500, 30000, () => 0.999999);
    assert.ok(top < 500 * 2 ** n, `attempt ${n}: ${top}`);
    assert.ok(top >= 500 * 2 ** n - 1, `attempt ${n}: ${top}`);
  }
});

test('the delay never exceeds the cap, however many attempts failed', () => {
  for (const n of [6, 10, 31, 100, 10000]) {
    const d = backoffDelay(n, 500, 30000, () => 0.999999);
    assert.ok(d < 30000 && d >= 29999, `attempt ${n}: ${d}`);
  }
});

test('full jitter: delays spread over the whole range, not around the exponential', () => {
  const delays = Array.from({ length: 2000 }, () => backoffDelay(4, 100, 30000));
  assert.ok(delays.every((d) => d >= 0 && d < 1600));
  assert.ok(Math.min(...delays) < 160, 'some delays are near 0');
  assert.ok(Math.max(...delays) > 1440, 'some are near the ceiling');
  assert.ok(new Set(delays).size > 500, 'and they differ');
});
