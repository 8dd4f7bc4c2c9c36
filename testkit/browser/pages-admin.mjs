// The landing page and the admin dashboard in Chromium. Landing: the pages are linked, the snippets
// name this server, its figures come from /metrics. Admin: a wrong API key is refused and counted, the
// right one shows the dashboard, whose numbers move as messages are published and a subscriber connects.
// Screenshots of both at desktop and phone width.
// Usage: node pages-admin.mjs BASE_URL SCREENSHOT_DIR API_KEY [BASE_URL_WITHOUT_DEMO]
// The last, a server without the demo: its landing page must not link to the demo pages.
// Prints RESULT <json> with what the pages show.
import { launch } from './chromium.mjs';

const [base, shots, key, plain] = process.argv.slice(2);
const browser = await launch();
const problems = [];
const timeout = 15000;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  page.on('console', (m) => {
    // The wrong key's 401 is the browser logging a failed fetch: expected here.
    if (m.type() === 'error' && !m.text().includes('401')) problems.push('console: ' + m.text());
  });

  // ---- landing ----
  await page.goto(base + '/');
  await page.waitForFunction(() => document.getElementById('s-published').textContent !== '–', null, { timeout });
  const landing = {
    links: await page.$$eval('main a.card', (as) => as.map((a) => a.getAttribute('href'))),
    snippet: await page.textContent('pre code'),
    published: await page.textContent('#s-published'),
  };
  await page.screenshot({ path: shots + '/landing-desktop.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  landing.overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.screenshot({ path: shots + '/landing-phone.png' });
  await page.setViewportSize({ width: 1280, height: 800 });
  if (plain) {
    const other = await context.newPage();
    await other.goto(plain + '/');
    await other.waitForSelector('#no-demo:not([hidden])', { timeout });
    landing.withoutDemo = await other.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
    await other.close();
  }

  // ---- admin: a wrong key, then the right one ----
  await page.getByRole('link', { name: 'Admin', exact: true }).click();
  await page.getByLabel('API key', { exact: true }).fill('not-the-key');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => document.getElementById('login-error').textContent.includes('refused'), null, { timeout });
  const refused = await page.textContent('#login-error');
  await page.getByLabel('API key', { exact: true }).fill(key);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#dashboard:not([hidden])', { timeout });
  const before = Number(await page.textContent('#s-published'));

  // Something to see: a subscriber on the SSE door, and messages published through the server API.
  const watcher = await context.newPage();
  await watcher.goto(base + '/healthz');
  await watcher.evaluate(() => { window.es = new EventSource('/sse?channel=admin-news'); });
  for (let i = 0; i < 12; i++) {
    const r = await context.request.post(base + '/api/publish', { headers: { Authorization: 'Bearer ' + key },
      data: { channel: 'admin-news', data: { i } } });
    if (!r.ok()) throw new Error('publish ' + r.status());
  }
  await page.waitForFunction((b) => Number(document.getElementById('s-published').textContent) >= b + 12, before, { timeout });
  await page.waitForFunction(() => [...document.querySelectorAll('#l-connections li')].some((li) => /^sse: [1-9]/.test(li.textContent)), null, { timeout });
  await page.waitForFunction(() => [...document.querySelectorAll('#errors tbody tr')].some((tr) => tr.cells[0].textContent === 'api' && tr.cells[1].textContent === '401'), null, { timeout });
  const admin = {
    refused,
    before,
    published: Number(await page.textContent('#s-published')),
    connections: Number(await page.textContent('#s-connections')),
    channels: Number(await page.textContent('#s-channels')),
    legend: await page.$$eval('#l-connections li, #l-messages li', (lis) => lis.map((li) => li.textContent)),
    errors: await page.$$eval('#errors tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent).join(' '))),
    lines: await page.$$eval('svg.chart polyline', (ps) => ps.length),
    keyStored: await page.evaluate(() => sessionStorage.getItem('sb-admin-key') !== null),
  };
  await page.screenshot({ path: shots + '/admin-desktop.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  admin.overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.screenshot({ path: shots + '/admin-phone.png' });
  await page.getByRole('button', { name: 'Sign out' }).click();
  admin.keyAfterSignOut = await page.evaluate(() => sessionStorage.getItem('sb-admin-key'));
  console.log('RESULT ' + JSON.stringify({ landing, admin, problems }));
} finally {
  await browser.close();
}
