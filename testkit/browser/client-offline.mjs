// The client through an offline spell in Chromium (Playwright's offline mode): messages published while
// the page is offline must all arrive once it is back, once each and in order.
// Usage: node client-offline.mjs BASE_URL TRANSPORT CHANNEL COUNT   (TRANSPORT "default": the default order)
// Prints CONNECTED <transport>; the test publishes 1-2; the page goes offline and prints OFFLINE <states>
// once the client noticed; the test publishes 3-COUNT; when the server's history has them all (asked from
// Node, which is not offline) the page goes online again; prints RESULT <json>.
import { launch } from './chromium.mjs';
import { connect, importClient, messages, openPage, report, sleep } from './client-page.mjs';

const [base, transport, channel, count] = process.argv.slice(2);
const browser = await launch();
try {
  const { context, page } = await openPage(browser, base);
  await importClient(page, base);
  const options = transport === 'default' ? {} : { transports: [transport], pollInterval: 200 };
  console.log('CONNECTED ' + await connect(page, base, channel, options));
  await messages(page, 2);
  await context.setOffline(true);
  await page.waitForFunction(() => window.states.includes('reconnecting'), null, { timeout: 15000 });
  console.log('OFFLINE ' + JSON.stringify(await page.evaluate(() => ({ onLine: navigator.onLine, states: window.states }))));
  for (;;) {
    const history = await (await fetch(base + '/history?channel=' + channel)).json();
    if (history.messages.length >= Number(count)) break;
    await sleep(100);
  }
  await sleep(1500); // offline a while longer: the client's retries fail meanwhile
  await context.setOffline(false);
  await messages(page, Number(count));
  await sleep(1000);
  console.log('RESULT ' + JSON.stringify(await report(page)));
} finally {
  await browser.close();
}
