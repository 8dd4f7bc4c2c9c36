// The client on a page of another origin (another server's port), in Chromium: it imports the module
// from the Switchboard server (CORS) and subscribes there, with the default order and each transport a
// cross-origin page can use; publishes and receives. The forever iframe needs the server's origin: a
// client limited to it must say no transport works here.
// Usage: node client-cross-origin.mjs PAGE_BASE_URL SERVER_BASE_URL   Prints RESULT <json>.
import { launch } from './chromium.mjs';
import { connect, importClient, messages, openPage, report } from './client-page.mjs';

const [pageBase, server] = process.argv.slice(2);
const browser = await launch();
try {
  const { page } = await openPage(browser, pageBase);
  await importClient(page, server);
  const results = {};
  for (const transport of ['default', 'websocket', 'sse', 'stream', 'longpoll', 'jsonp', 'poll']) {
    const channel = 'cross-' + transport;
    const options = transport === 'default' ? {} : { transports: [transport], pollInterval: 200 };
    await connect(page, server, channel, options);
    const ack = await page.evaluate((channel) => window.sb.publish(channel, 'hello', { transport: channel }), channel);
    await messages(page, 1);
    const history = await page.evaluate((channel) => window.sb.history(channel), channel);
    results[transport] = Object.assign(await report(page), { ack, history: history.messages.length, origin: await page.evaluate(() => location.origin) });
    await page.evaluate(() => window.sb.close());
  }
  results.iframe = await page.evaluate((server) => new Promise((resolve) => {
    const sb = new window.Switchboard(server, { transports: ['iframe'] });
    sb.on('error', (e) => resolve({ code: e.code, state: sb.state }));
    sb.subscribe('cross-iframe');
  }), server);
  console.log('RESULT ' + JSON.stringify(results));
} finally {
  await browser.close();
}
