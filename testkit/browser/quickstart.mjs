// The README's quick start in a real browser: an EventSource and a WebSocket subscribe to `news` on a
// page served by the server itself; we print READY, the test runs the README's curl publish, and we
// print what each subscriber received as one JSON line.
// Usage: node quickstart.mjs BASE_URL   (e.g. http://127.0.0.1:8080)
import { launch } from './chromium.mjs';

const base = process.argv[2];
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(base + '/healthz');
  await page.evaluate(async (wsUrl) => {
    window.got = { sse: null, ws: null };
    const es = new EventSource('/sse?channel=news');
    es.addEventListener('update', (e) => { window.got.sse = JSON.parse(e.data); });
    const ws = new WebSocket(wsUrl);
    const subscribed = new Promise((resolve, reject) => {
      ws.onerror = () => reject(new Error('websocket failed'));
      ws.onopen = () => ws.send(JSON.stringify({ op: 'subscribe', channel: 'news' }));
      ws.onmessage = (e) => {
        const item = JSON.parse(e.data);
        if (item.type === 'subscribed') resolve();
        if (item.type === 'message') window.got.ws = item;
      };
    });
    const opened = new Promise((resolve, reject) => {
      es.onopen = resolve;
      es.onerror = () => es.readyState === EventSource.CLOSED && reject(new Error('eventsource failed'));
    });
    await Promise.all([subscribed, opened]);
  }, base.replace(/^http/, 'ws') + '/ws');
  console.log('READY');
  await page.waitForFunction(() => window.got.sse && window.got.ws, null, { timeout: 15000 });
  console.log(JSON.stringify(await page.evaluate(() => window.got)));
} finally {
  await browser.close();
}
