// Runs one HTML snippet of docs/protocol.md as written, in a page on the server's own origin, and prints
// what the page logs. The page is the server's /healthz with its content replaced by the snippet: a
// really loaded page keeps the loopback address space, which Chromium's local-network checks require
// for WebSocket and fetch calls to 127.0.0.1 (a route-fulfilled page counts as public and is blocked).
// Usage: node docs-snippet.mjs BASE_URL SNIPPET_FILE   → prints READY, then one `CONSOLE <json>` per log call.
import { readFileSync } from 'node:fs';
import { launch } from './chromium.mjs';

const [base, file] = process.argv.slice(2);
const snippet = readFileSync(file, 'utf8');
const browser = await launch();
try {
  const page = await browser.newPage();
  page.on('console', async (msg) => {
    const values = await Promise.all(msg.args().map((a) => a.jsonValue().catch(() => String(a))));
    console.log('CONSOLE ' + JSON.stringify(values));
  });
  page.on('pageerror', (e) => console.log('PAGEERROR ' + e.message));
  await page.goto(base + '/healthz');
  await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>' + snippet + '</body></html>',
    { waitUntil: 'domcontentloaded' });
  console.log('READY');
  await new Promise((resolve) => process.stdin.on('close', resolve).resume()); // until the test is done
} finally {
  await browser.close();
}
