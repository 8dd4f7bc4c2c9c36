// One transport of the JavaScript client, forced, in Chromium: subscribe, receive, publish, resume.
// Usage: node client-transport.mjs BASE_URL TRANSPORT CHANNEL [OPTIONS_JSON]
// The page also subscribes to private-CHANNEL, which the server refuses (no token), and asks for the
// members of presence-room, which it refuses too (until tokens): both must reach the app as errors.
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
  console.log('CONNECTED ' + await connect(page, base, channel,
    Object.assign({ transports: [transport], pollInterval: 200 }, JSON.parse(options || '{}')), 'private-' + channel));
  await messages(page, 3);
  const ack = await page.evaluate((channel) => window.sb.publish(channel, 'from-page', { n: 4 }), channel);
  await messages(page, 4);
  console.log('PUBLISHED ' + JSON.stringify(ack));
  await messages(page, 7);
  await sleep(1000);
  const presence = await page.evaluate(() => window.sb.presence('presence-room').then(() => 'answered', (e) => e.status + ' ' + e.code));
  console.log('RESULT ' + JSON.stringify(Object.assign(await report(page), { presence })));
} finally {
  await browser.close();
}
