// Prints the size of the whole client as browsers get it: minified with terser, then gzipped.
// Usage: node size.mjs [--max BYTES]   (fails when over BYTES; the budget is 12 KiB)
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';

const dist = join(dirname(fileURLToPath(import.meta.url)), 'dist');
const max = process.argv.includes('--max') ? Number(process.argv[process.argv.indexOf('--max') + 1]) : Infinity;
let over = false;
for (const name of ['switchboard.js', 'switchboard.global.js']) {
  const source = readFileSync(join(dist, name), 'utf8');
  const min = (await minify(source, { module: name === 'switchboard.js', ecma: 2020, compress: { passes: 2 }, mangle: true })).code;
  const gz = gzipSync(min, { level: 9 }).length;
  console.log(`${name}: ${source.length} bytes, minified ${min.length}, minified+gzipped ${gz} (${(gz / 1024).toFixed(1)} KiB)`);
  if (gz > max) over = true;
}
if (over) {
  console.error('over the budget of ' + max + ' bytes');
  process.exit(1);
}
