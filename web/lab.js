// The Transport Lab: one frame per technique (pane.js), a publisher, and the ranking of what they measure.
import { Switchboard } from '/switchboard.js';
import { count, el, markNav, ms, now } from '/web/common.js';

const TECHNIQUES = ['websocket', 'sse', 'stream', 'iframe', 'longpoll', 'jsonp', 'poll', 'http'];
const CHANNEL = 'demo-lab';
const NAMES = { websocket: 'WebSocket', sse: 'Server-Sent Events', stream: 'HTTP streaming', iframe: 'Forever iframe',
  longpoll: 'Long-polling', jsonp: 'JSONP', poll: 'Polling', http: 'Regular HTTP' };
const params = new URLSearchParams(location.search);
const panes = document.getElementById('panes');
const frames = TECHNIQUES.map((t) => {
  const src = '/lab/pane?t=' + t + (params.get('http') ? '&every=' + encodeURIComponent(params.get('http')) : '');
  const frame = el('iframe', { src, title: NAMES[t] + ' pane', 'data-technique': t, loading: 'eager' });
  panes.append(frame);
  return frame;
});

// The publisher has its own WebSocket, so publishing takes none of the browser's six connections per
// server, which the held requests of the panes already mostly use.
const publisher = new Switchboard(location.origin, { transports: ['websocket'] });
publisher.subscribe(CHANNEL);
let sent = 0;
const status = document.getElementById('published');

async function publishOne() {
  const n = ++sent;
  try {
    await publisher.publish(CHANNEL, 'tick', { n, sent: now() });
    status.textContent = 'published ' + n;
    status.className = 'ok';
  } catch (e) {
    status.textContent = 'publish failed: ' + (e.reason || e.message);
    status.className = 'error';
  }
}

document.getElementById('publish').addEventListener('click', publishOne);
const rate = document.getElementById('rate');
const rateOut = document.getElementById('rate-out');
const ticker = document.getElementById('ticker');
let timer = null;
function tick() {
  publishOne();
  timer = setTimeout(tick, 1000 / Number(rate.value));
}
rate.addEventListener('input', () => { rateOut.textContent = rate.value + ' / s'; });
ticker.addEventListener('change', () => {
  clearTimeout(timer);
  timer = null;
  if (ticker.checked) tick();
});

/** Every pane's figures, ranked: median latency first, bytes per message next; panes with nothing last. */
export function summary() {
  const rows = frames.map((f) => {
    const lab = f.contentWindow && f.contentWindow.lab;
    return lab ? lab.stats() : { technique: f.dataset.technique, state: 'loading', messages: 0, requests: 0, bytes: 0 };
  });
  const per = (r) => (r.messages ? r.bytes / r.messages : Infinity);
  rows.sort((a, b) => (a.p50 == null) - (b.p50 == null) || (a.p50 ?? 0) - (b.p50 ?? 0) || per(a) - per(b));
  return rows;
}
window.labSummary = summary;

const body = document.querySelector('#summary tbody');
function renderSummary() {
  body.replaceChildren(...summary().map((r, i) => el('tr', { 'data-technique': r.technique },
    el('td', { class: 'wide', text: String(i + 1) }),
    el('th', { scope: 'row', text: NAMES[r.technique] }),
    el('td', { class: 'wide' }, el('span', { class: 'badge ' + r.state, text: r.state })),
    el('td', { class: 'num messages', text: String(r.messages) }),
    el('td', { class: 'num p50', text: ms(r.p50) }),
    el('td', { class: 'num p99 wide', text: ms(r.p99) }),
    el('td', { class: 'num requests', text: String(r.requests) }),
    el('td', { class: 'num wide', text: r.messages ? (r.requests / r.messages).toFixed(2) : '–' }),
    el('td', { class: 'num', text: r.messages ? count(r.bytes / r.messages) : '–' }))));
}
setInterval(renderSummary, 500);
renderSummary();
markNav();
