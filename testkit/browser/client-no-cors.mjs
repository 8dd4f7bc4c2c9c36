// The client on a page whose origin the server does not allow (so no WebSocket and no CORS answers), in
// Chromium: with the default order it must end up on JSONP, which needs neither, and receive.
// Usage: node client-no-cors.mjs PAGE_BASE_URL SERVER_BASE_URL CHANNEL
// Prints CONNECTED <json report>; the test publishes one message; prints RESULT <json report>.
import { launch } from './chromium.mjs';
import { connect, importClient, messages, openPage, report } from './client-page.mjs';

const [pageBase, server, channel] = process.argv.slice(2);
const browser = await launch();
try {
  const { page } = await openPage(browser, pageBase);
  await importClient(page, server);
  await connect(page, server, channel, { connectTimeout: 5000 });
  console.log('CONNECTED ' + JSON.stringify(await report(page)));
  await messages(page, 1);
  const publish = await page.evaluate((channel) => window.sb.publish(channel, 'x', 1).then(() => 'published', (e) => e.code), channel);
  console.log('RESULT ' + JSON.stringify(Object.assign(await report(page), { publish })));
} finally {
  await browser.close();
}
