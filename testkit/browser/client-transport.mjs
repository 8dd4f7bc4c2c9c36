// One transport of the JavaScript client, forced, in Chromium: subscribe, receive, publish, resume.
// Usage: node client-transport.mjs BASE_URL TRANSPORT CHANNEL [OPTIONS_JSON]
// Prints CONNECTED <transport>; the test publishes messages 1-3; prints PUBLISHED <ack> after the page
// published message 4 and received it; the test then drops every connection and publishes 5-7; prints
// RESULT <json> once the page has all seven (and a second more, to catch late duplicates).
import { launch } from './chromium.mjs';
import { connect, importClient, messages, openPage, report, sleep } from './client-page.mjs';

const [base, transport, channel, options] = process.argv.slice(2);
const browser = await launch();
try {
  const { page } = await openPage(browser, base);
  await importClient(page, base);
  console.log('CONNECTED ' + await connect(page, base, channel, Object.assign({ transports: [transport], pollInterval: 200 }, JSON.parse(options || '{}'))));
  await messages(page, 3);
  const ack = await page.evaluate((channel) => window.sb.publish(channel, 'from-page', { n: 4 }), channel);
  await messages(page, 4);
  console.log('PUBLISHED ' + JSON.stringify(ack));
  await messages(page, 7);
  await sleep(1000);
  console.log('RESULT ' + JSON.stringify(await report(page)));
} finally {
  await browser.close();
}
