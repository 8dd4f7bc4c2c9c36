// A blank page on a Switchboard server's origin for the client's browser tests. Chromium's local-network
// checks block WebSocket and fetch to 127.0.0.1 from a page Playwright fulfils itself, so the page is a
// real answer of the server (/healthz) whose content is then replaced.
export async function openPage(browser, origin) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log('pageerror: ' + e.message));
  await page.goto(origin + '/healthz');
  await page.setContent('<!doctype html><html><head><title>switchboard client test</title></head><body></body></html>');
  return { context, page };
}

/** Loads the client in the page as an ES module from `server` and keeps it as window.Switchboard. */
export async function importClient(page, server) {
  await page.evaluate(async (url) => {
    const module = await import(url);
    window.Switchboard = module.Switchboard;
  }, server + '/switchboard.js');
}

/**
 * In the page: a client of `server` with `options`, subscribed to `channel` (and in the same tick to
 * `refused`, a channel the server will refuse, when given); records every message (window.got), every
 * state change (window.states) and every error (window.errors); resolves when connected.
 */
export async function connect(page, server, channel, options, refused) {
  return page.evaluate(async ({ server, channel, options, refused }) => {
    window.got = [];
    window.states = [];
    window.errors = [];
    const sb = window.sb = new window.Switchboard(server, options);
    sb.on('state', (c) => window.states.push(c.state + (c.transport ? ':' + c.transport : '')));
    sb.on('error', (e) => window.errors.push(e.status + ' ' + e.message));
    const sub = sb.subscribe(channel);
    sub.on('message', (m) => window.got.push({ offset: m.offset, epoch: m.epoch, event: m.event, data: m.data }));
    sub.on('gap', (g) => window.got.push({ gap: g.offset }));
    sub.on('error', (e) => window.errors.push(e.status + ' ' + e.message));
    if (refused) sb.subscribe(refused).on('error', (e) => window.errors.push('refused ' + refused + ' ' + e.status + ' ' + e.code));
    await new Promise((resolve) => {
      if (sb.state === 'connected') resolve();
      sb.on('state', (c) => c.state === 'connected' && resolve());
    });
    return sb.transport;
  }, { server, channel, options, refused });
}

/** Waits until the page's client has received `n` messages. */
export async function messages(page, n, timeout = 30000) {
  await page.waitForFunction((n) => window.got.length >= n, n, { timeout });
}

/** What the page saw: messages, state changes, errors, the transport in use. */
export async function report(page) {
  return page.evaluate(() => ({ got: window.got, states: window.states, errors: window.errors, transport: window.sb.transport }));
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
