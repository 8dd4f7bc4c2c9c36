// The Transport Lab in Chromium: every pane connects, the ticker publishes, every pane receives with a
// latency and request count; screenshots at desktop and phone width.
// Usage: node pages-lab.mjs BASE_URL SCREENSHOT_DIR
// Prints CONNECTED once every pane is connected, then RESULT <json> with what the ranking table and the
// panes show.
import { launch } from './chromium.mjs';

const [base, shots] = process.argv.slice(2);
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
  await page.goto(base + '/lab?http=2000', { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => {
    const all = [...document.querySelectorAll('#summary tbody tr')];
    return all.length === 8 && all.every((r) => r.querySelector('.badge').textContent === 'connected');
  }, null, { timeout: 20000 });
  console.log('CONNECTED');

  // A person's way: set the rate, start the ticker, press the button once too.
  await page.$eval('#rate', (r) => { r.value = '4'; r.dispatchEvent(new Event('input', { bubbles: true })); });
  await page.check('#ticker');
  await page.click('#publish');
  await page.waitForFunction(() => [...document.querySelectorAll('#summary tbody tr')]
    .every((r) => Number(r.querySelector('.messages').textContent) >= 16), null, { timeout: 30000 });
  await page.uncheck('#ticker');

  const table = await page.$$eval('#summary tbody tr', (trs) => trs.map((tr) => ({
    technique: tr.dataset.technique,
    rank: Number(tr.cells[0].textContent),
    state: tr.querySelector('.badge').textContent,
    messages: Number(tr.querySelector('.messages').textContent),
    p50: tr.querySelector('.p50').textContent,
    p99: tr.querySelector('.p99').textContent,
    requests: Number(tr.querySelector('.requests').textContent),
  })));
  const figures = await page.evaluate(() => window.labSummary());
  const diagrams = {};
  for (const frame of page.frames()) {
    const t = new URL(frame.url()).searchParams.get('t');
    if (!t || !frame.url().includes('/lab/pane')) continue;
    diagrams[t] = await frame.$$eval('#seq path', (paths) => paths.length);
  }
  await page.screenshot({ path: shots + '/lab-desktop.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForFunction(() => document.documentElement.scrollWidth <= 390);
  await page.screenshot({ path: shots + '/lab-phone.png' });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  console.log('RESULT ' + JSON.stringify({ table, figures, diagrams, problems, overflow }));
} finally {
  await browser.close();
}
