// The README's JavaScript client example, run as written (host and port substituted) in Chromium on a page
// of the server; prints each console.log of the page as CONSOLE <json array of its arguments>.
// Usage: node client-readme.mjs BASE_URL SNIPPET_FILE
import { readFileSync } from 'node:fs';
import { launch } from './chromium.mjs';
import { openPage, sleep } from './client-page.mjs';

const [base, file] = process.argv.slice(2);
const browser = await launch();
try {
  const { page } = await openPage(browser, base);
  page.on('console', async (msg) => {
    if (msg.type() === 'log') console.log('CONSOLE ' + JSON.stringify(await Promise.all(msg.args().map((a) => a.jsonValue()))));
  });
  await page.evaluate('(async () => {\n' + readFileSync(file, 'utf8') + '\n})()');
  console.log('RAN');
  await sleep(10000); // the test ends the script once it saw the message
} finally {
  await browser.close();
}
