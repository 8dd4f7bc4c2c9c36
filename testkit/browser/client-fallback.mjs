// The client's fallback in Chromium, with the classic-script build (window.Switchboard): for each
// server given, a page on it loads /switchboard.global.js, subscribes with the default transport order,
// publishes one message and receives it. Each server offers fewer doors; the client must find its way.
// Usage: node client-fallback.mjs BASE_URL...   Prints LANDED <i> <json> per server.
import { launch } from './chromium.mjs';
import { connect, messages, openPage, report } from './client-page.mjs';

const browser = await launch();
try {
  for (const [i, base] of process.argv.slice(2).entries()) {
    const { context, page } = await openPage(browser, base);
    await page.addScriptTag({ url: base + '/switchboard.global.js' });
    await connect(page, base, 'fallback', { connectTimeout: 5000 });
    await page.evaluate(() => window.sb.publish('fallback', 'hello', { from: 'page' }));
    await messages(page, 1);
    console.log('LANDED ' + i + ' ' + JSON.stringify(await report(page)));
    await context.close();
  }
} finally {
  await browser.close();
}
