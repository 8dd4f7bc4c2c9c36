import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from '../build-global.mjs';

const dist = (name) => fileURLToPath(new URL('../dist/' + name, import.meta.url));

test('dist/ is what build-global.mjs makes of src/ (run `node client-js/build-global.mjs` after a change)', () => {
  const built = build();
  for (const name of Object.keys(built)) {
    assert.ok(readFileSync(dist(name), 'utf8') === built[name], 'client-js/dist/' + name + ' is out of date');
  }
});

test('the classic script defines Switchboard and SwitchboardError on the global object, and nothing else', () => {
  const window = {};
  window.window = window;
  vm.runInNewContext(readFileSync(dist('switchboard.global.js'), 'utf8'), window);
  assert.equal(typeof window.Switchboard, 'function');
  assert.equal(typeof window.SwitchboardError, 'function');
  assert.deepEqual(Object.keys(window).sort(), ['Switchboard', 'SwitchboardError', 'window']);
  assert.equal(window.Switchboard.TRANSPORTS.join(), ['websocket', 'sse', 'stream', 'longpoll', 'jsonp', 'iframe', 'poll'].join());
});

test('the one-file module exports what src/switchboard.js exports', async () => {
  const bundled = await import(new URL('../dist/switchboard.js', import.meta.url));
  const source = await import('../src/switchboard.js');
  assert.deepEqual(Object.keys(bundled).sort(), Object.keys(source).sort());
});

test('the whole client is under 12 KiB minified and gzipped', async () => {
  let minify;
  try {
    ({ minify } = await import('terser'));
  } catch (e) {
    assert.fail('terser is not installed: run ./run-tests (or npm ci in client-js)');
  }
  for (const name of ['switchboard.js', 'switchboard.global.js']) {
    const min = (await minify(readFileSync(dist(name), 'utf8'), { module: name === 'switchboard.js', ecma: 2020 })).code;
    const size = gzipSync(min, { level: 9 }).length;
    assert.ok(size < 12 * 1024, name + ' is ' + size + ' bytes minified+gzipped');
  }
});
