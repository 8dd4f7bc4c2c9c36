// The demo chat in Chromium, two people in two browser contexts (two windows that share nothing): each
// sees the other arrive in the presence list, sees the other typing, gets the other's messages; a third
// who joins later gets them from history; a leaver leaves the list. Screenshots at desktop and phone width.
// Usage: node pages-chat.mjs BASE_URL SCREENSHOT_DIR
// Prints RESULT <json> with what each window shows.
import { launch } from './chromium.mjs';

const [base, shots] = process.argv.slice(2);
const browser = await launch();
const problems = [];
const timeout = 15000;

async function person(nick, transport, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(nick + ' pageerror: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(nick + ' console: ' + m.text()); });
  await page.goto(base + '/demo/chat', { waitUntil: 'domcontentloaded' });
  await page.getByLabel('Nickname', { exact: true }).fill(nick);
  await page.getByLabel('Room', { exact: true }).fill('test');
  await page.getByLabel('Transport', { exact: true }).selectOption(transport);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.waitForFunction(() => document.getElementById('conn').textContent.startsWith('connected'), null, { timeout });
  return page;
}

const members = (page) => page.$$eval('#members li', (lis) => lis.map((li) => li.textContent));
const lines = (page) => page.$$eval('#messages li', (lis) => lis.map((li) => li.querySelector('.who').textContent + ': '
  + li.childNodes[1].textContent));
const waitText = (page, selector, text) => page.waitForFunction(([s, t]) =>
  [...document.querySelectorAll(s)].some((e) => e.textContent.includes(t)), [selector, text], { timeout });

try {
  const ada = await person('ada', 'websocket');
  const bob = await person('bob', 'longpoll');
  await waitText(ada, '#members li', 'bob');
  await waitText(bob, '#members li', 'ada');

  await ada.getByLabel('Message', { exact: true }).pressSequentially('hello b', { delay: 20 });
  await waitText(bob, '#typing', 'ada is typing');
  const typingSeen = await bob.textContent('#typing');
  await ada.getByLabel('Message', { exact: true }).fill('hello bob');
  await ada.getByRole('button', { name: 'Send' }).click();
  await waitText(bob, '#messages li', 'hello bob');
  await bob.getByLabel('Message', { exact: true }).fill('hi ada, over long-polling');
  await bob.keyboard.press('Enter');
  await waitText(ada, '#messages li', 'hi ada, over long-polling');

  const cy = await person('cy', 'sse', { width: 390, height: 844 });
  await waitText(cy, '#messages li', 'hi ada, over long-polling'); // from history
  await waitText(ada, '#members li', 'cy');
  await waitText(cy, '#members li', 'bob');
  const cyMembers = await members(cy);
  await ada.screenshot({ path: shots + '/chat-desktop.png' });
  await cy.screenshot({ path: shots + '/chat-phone.png' });
  const cyOverflow = await cy.evaluate(() => document.documentElement.scrollWidth);

  await bob.getByRole('button', { name: 'Leave' }).click();
  await ada.waitForFunction(() => ![...document.querySelectorAll('#members li')].some((li) => li.textContent === 'bob'), null, { timeout });

  console.log('RESULT ' + JSON.stringify({
    ada: { members: await members(ada), lines: await lines(ada) },
    bob: { lines: await lines(bob), typingSeen },
    cy: { members: cyMembers, lines: await lines(cy), overflow: cyOverflow },
    problems,
  }));
} finally {
  await browser.close();
}
