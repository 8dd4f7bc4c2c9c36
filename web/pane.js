// One pane of the Transport Lab, in its own frame so that everything this frame's window sends and
// receives is this technique's traffic: fetch, WebSocket, JSONP scripts and the forever iframe are
// counted here before the client runs, and drawn as a sequence diagram of the real requests.
import { Histogram, count, ms, now } from '/web/common.js';

export const TECHNIQUES = {
  http: ['Regular HTTP', 'The page asks GET /history every few seconds, like a reload: nothing is held.'],
  poll: ['Polling', 'The client asks GET /poll every second; the server answers at once, empty or not.'],
  longpoll: ['Long-polling', 'GET /poll?wait=25: the server holds the request until a message comes, then the client asks again.'],
  sse: ['Server-Sent Events', 'One GET /sse held open; the server pushes text/event-stream events down it.'],
  websocket: ['WebSocket', 'One upgraded connection; JSON frames both ways.'],
  stream: ['HTTP streaming', 'One GET /stream held open: chunked NDJSON, one item per line.'],
  iframe: ['Forever iframe', 'A hidden iframe whose never-ending page calls a function of this page per item.'],
  jsonp: ['JSONP', 'A script tag per request (GET /jsonp?wait=25), held like a long-poll; it calls back with the items.'],
};
const CHANNEL = 'demo-lab';
const WINDOW_MS = 12000;
const params = new URLSearchParams(location.search);
const technique = TECHNIQUES[params.get('t')] ? params.get('t') : 'websocket';

const stats = { technique, state: 'connecting', messages: 0, requests: 0, bytes: 0, hist: new Histogram(), events: [] };
/** Read by the lab page (same origin) for its summary table, and by the tests through it. */
window.lab = {
  technique,
  stats: () => ({
    technique, state: stats.state, messages: stats.messages, requests: stats.requests, bytes: Math.round(stats.bytes),
    p50: stats.hist.quantile(0.5), p99: stats.hist.quantile(0.99),
  }),
};

function track(e) {
  stats.events.push(e);
  const old = now() - WINDOW_MS * 2;
  while (stats.events.length > 400 || (stats.events.length && (stats.events[0].t1 ?? stats.events[0].t ?? stats.events[0].t0) < old)) {
    stats.events.shift();
  }
  return e;
}

function pathOf(url) {
  return new URL(url, location.href).pathname;
}

// ---- fetch: every answer's header and body bytes, the body counted as it arrives ----
const realFetch = window.fetch.bind(window);
window.fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input.url;
  const path = pathOf(url);
  const streaming = path === '/sse' || path === '/stream';
  const req = track({ kind: 'req', label: 'GET ' + path + (url.includes('wait=') ? ' (wait)' : ''), t0: now(), t1: null, streaming });
  if (init && init.method === 'POST') req.label = 'POST ' + path;
  stats.requests++;
  let res;
  try {
    res = await realFetch(input, init);
  } catch (e) {
    req.t1 = now();
    req.failed = true;
    throw e;
  }
  req.th = now();
  let head = 17; // "HTTP/1.1 200 OK\r\n"
  res.headers.forEach((v, k) => { head += k.length + v.length + 4; });
  stats.bytes += head + 2;
  if (!res.body) {
    req.t1 = now();
    return res;
  }
  const reader = res.body.getReader();
  const end = () => { if (req.t1 == null) req.t1 = now(); };
  const body = new ReadableStream({
    async pull(ctl) {
      try {
        const { done, value } = await reader.read();
        if (done) { end(); ctl.close(); return; }
        stats.bytes += value.byteLength;
        // On a held stream each chunk is a push; a short one (a heartbeat line or comment) is drawn faint.
        if (streaming) track({ kind: 'push', t: now(), faint: value.byteLength < 20 });
        ctl.enqueue(value);
      } catch (e) {
        end();
        ctl.error(e);
      }
    },
    cancel(reason) {
      end();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
};

// ---- WebSocket: the upgrade, then each frame (payload plus its 2-10 byte header) ----
const RealWebSocket = window.WebSocket;
window.WebSocket = class CountingWebSocket extends RealWebSocket {
  constructor(url, protocols) {
    super(url, protocols);
    const req = track({ kind: 'ws', label: 'GET /ws → 101', t0: now(), t1: null, open: null });
    stats.requests++;
    this.addEventListener('open', () => { req.open = now(); });
    this.addEventListener('close', () => { req.t1 = now(); });
    this.addEventListener('message', (e) => {
      const n = typeof e.data === 'string' ? new TextEncoder().encode(e.data).length : (e.data.size ?? e.data.byteLength);
      stats.bytes += n + (n < 126 ? 2 : n < 65536 ? 4 : 10);
      track({ kind: 'push', t: now(), faint: typeof e.data === 'string' && e.data.includes('"ping"') });
    });
  }

  send(data) {
    track({ kind: 'up', t: now() });
    super.send(data);
  }
};

// ---- script tags (JSONP) and iframes (forever iframe): seen when the client adds them ----
const frames = new Map(); // iframe → bytes already counted
new MutationObserver((records) => {
  for (const r of records) {
    for (const node of r.addedNodes) {
      if (node.tagName === 'SCRIPT' && node.src.includes('/jsonp')) watchScript(node);
      if (node.tagName === 'IFRAME' && node.src.includes('/iframe')) watchFrame(node);
    }
  }
}).observe(document.documentElement, { childList: true, subtree: true });

// A script's bytes (headers and body) are known once it has loaded, from Resource Timing (same origin).
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.initiatorType === 'script' && e.name.includes('/jsonp')) stats.bytes += e.transferSize || e.encodedBodySize;
  }
}).observe({ type: 'resource' });
setInterval(() => performance.clearResourceTimings(), 60000); // observers see every entry; the buffer needs none

function watchScript(script) {
  const req = track({ kind: 'req', label: 'GET /jsonp (wait)', t0: now(), t1: null });
  stats.requests++;
  const done = () => { if (req.t1 == null) req.t1 = now(); };
  script.addEventListener('load', done);
  script.addEventListener('error', done);
}

function watchFrame(frame) {
  const req = track({ kind: 'req', label: 'GET /iframe', t0: now(), t1: null, streaming: true });
  stats.requests++;
  frames.set(frame, 0);
  frame.addEventListener('load', () => { req.t1 = now(); frameBytes(); frames.delete(frame); });
  // Each call of the callback from the frame's page is one push (ping items too).
  const name = new URL(frame.src).searchParams.get('callback').replace(/^parent\./, '');
  const inner = window[name];
  if (typeof inner === 'function') {
    window[name] = (item) => {
      track({ kind: 'push', t: now(), faint: item && item.type === 'ping' });
      frameBytes();
      return inner(item);
    };
  }
}

/** The forever iframe's bytes so far, read from its (same-origin) document as it grows. */
function frameBytes() {
  for (const [frame, seen] of frames) {
    const doc = frame.contentDocument;
    const size = doc && doc.documentElement ? doc.documentElement.outerHTML.length : 0;
    if (size > seen) {
      stats.bytes += size - seen;
      frames.set(frame, size);
    }
  }
}

// ---- receiving: the client with this technique forced, or (regular HTTP) the page's own requests ----
function received(m) {
  stats.messages++;
  if (m.data && typeof m.data.sent === 'number') stats.hist.add(Math.max(0.1, now() - m.data.sent));
}

function setState(s) {
  stats.state = s;
  const badge = document.getElementById('state');
  badge.textContent = s;
  badge.className = 'badge ' + s;
}

async function regularHttp() {
  const every = Math.max(250, Number(params.get('every')) || 3000);
  let cursor = '';
  for (;;) {
    try {
      const r = await fetch('/history?channel=' + CHANNEL + '&limit=100' + (cursor ? '&since=' + cursor : ''), { cache: 'no-store' });
      if (!r.ok) throw new Error('HTTP ' + r.status);
      const body = await r.json();
      // The first answer only says where "now" is: messages before the lab opened are not measured.
      if (cursor) for (const m of body.messages) if (m.type === 'message') received(m);
      cursor = body.cursor;
      setState('connected');
    } catch (e) {
      setState('error');
    }
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

async function client() {
  const { Switchboard } = await import('/switchboard.js');
  const sb = new Switchboard(location.origin, { transports: [technique], pollInterval: 1000 });
  sb.on('state', ({ state }) => setState(state));
  sb.subscribe(CHANNEL).on('message', received);
}

// ---- the sequence diagram: browser and server lifelines, time flowing down, the last 12 s ----
const svg = document.getElementById('seq');
const W = 300, H = 230, TOP = 18, BOTTOM = H - 4, XC = 34, XS = 266;

function drawDiagram() {
  const t = now(), from = t - WINDOW_MS;
  const y = (v) => TOP + Math.max(0, Math.min(1, (v - from) / WINDOW_MS)) * (BOTTOM - TOP);
  const parts = [`<title id="seq-title">Sequence diagram of the ${TECHNIQUES[technique][0]} traffic over the last 12 seconds</title>`,
    `<text x="${XC}" y="11" text-anchor="middle">browser</text><text x="${XS}" y="11" text-anchor="middle">server</text>`,
    `<line class="life" x1="${XC}" y1="${TOP}" x2="${XC}" y2="${BOTTOM}"/><line class="life" x1="${XS}" y1="${TOP}" x2="${XS}" y2="${BOTTOM}"/>`];
  let lastLabel = -100; // labels closer than a line apart would overprint: only the first of a burst is named
  const named = (text, yy) => {
    if (yy - lastLabel < 12) return '';
    lastLabel = yy;
    return label(text, yy);
  };
  for (const e of stats.events) {
    if (e.kind === 'ws') {
      const a = y(e.t0), b = y(e.t1 ?? t);
      if (e.t1 != null && e.t1 < from) continue;
      parts.push(`<rect class="wsband" x="${XC}" y="${a}" width="${XS - XC}" height="${Math.max(0, b - a)}"/>`);
      if (e.t0 >= from) {
        parts.push(arrow('req', XC, a, XS, a + 4), named(e.label, a - 2));
        if (e.open) parts.push(arrow('res', XS, y(e.open) + 4, XC, y(e.open) + 8));
      }
    } else if (e.kind === 'req') {
      const end = e.t1 ?? t;
      if (end < from) continue;
      const a = y(e.t0), b = y(end);
      const held = end - e.t0 > 150;
      if (held) parts.push(`<rect class="hold" x="${XS - 4}" y="${a + 3}" width="8" height="${Math.max(2, b - a - 3)}"/>`);
      if (e.t0 >= from) parts.push(arrow('req', XC, a, XS, a + 4), named(e.label, a - 2));
      if (e.t1 != null && !e.streaming) parts.push(arrow('res', XS, b, XC, b + 4));
    } else if (e.kind === 'push' && e.t >= from) {
      const a = y(e.t);
      parts.push(arrow(e.faint ? 'beat' : 'push', XS, a - 3, XC, a + 3));
    } else if (e.kind === 'up' && e.t >= from) {
      const a = y(e.t);
      parts.push(arrow('beat', XC, a - 2, XS, a + 2));
    }
  }
  svg.innerHTML = parts.join('');
}

function arrow(cls, x1, y1, x2, y2) {
  const dir = x2 > x1 ? -1 : 1;
  return `<path class="${cls}" d="M${x1} ${y1.toFixed(1)}L${x2} ${y2.toFixed(1)}M${x2} ${y2.toFixed(1)}l${dir * 6} -3M${x2} ${y2.toFixed(1)}l${dir * 6} 3"/>`;
}

function label(text, yy) {
  return `<text x="${(XC + XS) / 2}" y="${Math.max(TOP - 2, yy).toFixed(1)}" text-anchor="middle">${text}</text>`;
}

function render() {
  const s = window.lab.stats();
  document.getElementById('f-messages').textContent = s.messages;
  document.getElementById('f-p50').textContent = ms(s.p50);
  document.getElementById('f-p99').textContent = ms(s.p99);
  document.getElementById('f-requests').textContent = s.requests;
  document.getElementById('f-bytes').textContent = count(s.bytes);
  document.getElementById('f-per').textContent = s.messages ? count(s.bytes / s.messages) : '–';
  drawDiagram();
}

document.getElementById('name').textContent = TECHNIQUES[technique][0];
document.getElementById('how').textContent = TECHNIQUES[technique][1];
document.title = TECHNIQUES[technique][0] + ' – Transport Lab';
setInterval(render, 250);
render();
// After this frame's load: a transport opened before it would hold the lab page's load event (and its
// "loading" indicator) for as long as the forever iframe or a stream stays open.
const go = () => (technique === 'http' ? regularHttp() : client()).catch(() => setState('error'));
if (document.readyState === 'complete') go();
else window.addEventListener('load', go, { once: true });
