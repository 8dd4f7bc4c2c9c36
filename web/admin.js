// The admin dashboard: GET /api/stats (Bearer API key) every second, drawn as live charts and tables.
import { count, el, markNav } from '/web/common.js';

const $ = (id) => document.getElementById(id);
const KEY = 'sb-admin-key';
const WINDOW_MS = 120000;
const COLORS = ['--c1', '--c2', '--c3', '--c4', '--c5', '--c6', '--c7', '--c8'];
let samples = []; // {time, stats}
let timer = null;

$('login').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(KEY, $('key').value.trim());
  $('key').value = '';
  start();
});
$('logout').addEventListener('click', () => {
  sessionStorage.removeItem(KEY);
  stop('');
});

function start() {
  $('login-error').textContent = '';
  samples = [];
  clearTimeout(timer);
  poll();
}

function stop(message) {
  clearTimeout(timer);
  $('dashboard').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  $('key').focus();
}

async function poll() {
  const key = sessionStorage.getItem(KEY);
  if (!key) return stop('');
  try {
    const r = await fetch('/api/stats', { headers: { Authorization: 'Bearer ' + key }, cache: 'no-store' });
    if (r.status === 401) {
      sessionStorage.removeItem(KEY);
      return stop('That API key was refused (401).');
    }
    if (!r.ok) throw new Error('HTTP ' + r.status);
    const stats = await r.json();
    samples.push({ time: stats.time, stats });
    samples = samples.filter((s) => s.time > stats.time - WINDOW_MS - 2000);
    $('login').hidden = true;
    $('dashboard').hidden = false;
    render(stats);
    $('updated').textContent = 'updated ' + new Date(stats.time).toLocaleTimeString();
  } catch (err) {
    $('updated').textContent = 'cannot reach the server: ' + err.message;
  }
  timer = setTimeout(poll, 1000);
}

/** Per-second rate of a counter between consecutive samples: [[time, rate], …]. */
function rate(field) {
  const out = [];
  for (let i = 1; i < samples.length; i++) {
    const dt = (samples[i].time - samples[i - 1].time) / 1000;
    if (dt > 0) out.push([samples[i].time, Math.max(0, samples[i].stats[field] - samples[i - 1].stats[field]) / dt]);
  }
  return out;
}

function render(stats) {
  const doors = Object.keys(stats.connections).sort();
  const total = doors.reduce((n, d) => n + stats.connections[d], 0);
  const inRate = rate('published'), outRate = rate('delivered');
  $('s-connections').textContent = count(total);
  $('s-channels').textContent = count(stats.channels);
  $('s-subscribers').textContent = count(stats.subscribers);
  $('s-in').textContent = inRate.length ? count(inRate[inRate.length - 1][1]) : '–';
  $('s-out').textContent = outRate.length ? count(outRate[outRate.length - 1][1]) : '–';
  $('s-published').textContent = count(stats.published);
  chart('connections', doors.map((d) => ({ name: d, points: samples.map((s) => [s.time, s.stats.connections[d] || 0]) })), stats.time);
  chart('messages', [{ name: 'in (published)', points: inRate }, { name: 'out (delivered)', points: outRate }], stats.time);
  chart('channels', [{ name: 'channels', points: samples.map((s) => [s.time, s.stats.channels]) },
    { name: 'subscribers', points: samples.map((s) => [s.time, s.stats.subscribers]) }], stats.time);
  $('presence').tBodies[0].replaceChildren(...(stats.presence.length ? stats.presence.map((p) => el('tr', {},
    el('td', { text: p.channel }), el('td', { class: 'num', text: String(p.members) })))
    : [el('tr', {}, el('td', { colspan: '2', class: 'muted', text: 'no presence channel has subscribers' }))]));
  const minuteAgo = samples.find((s) => s.time >= stats.time - 60000) || samples[0];
  const before = (e) => (minuteAgo.stats.errors.find((o) => o.door === e.door && o.code === e.code) || { count: 0 }).count;
  const errors = stats.errors.map((e) => Object.assign({ recent: e.count - before(e) }, e))
    .sort((a, b) => b.recent - a.recent || b.count - a.count);
  $('errors').tBodies[0].replaceChildren(...(errors.length ? errors.map((e) => el('tr', {},
    el('td', { text: e.door }), el('td', { text: String(e.code) }), el('td', { class: 'num', text: String(e.recent) }),
    el('td', { class: 'num', text: String(e.count) })))
    : [el('tr', {}, el('td', { colspan: '4', class: 'muted', text: 'no errors since start' }))]));
}

/** A line chart of the last two minutes, hand-drawn in SVG: one line per series, the max on the axis. */
function chart(id, series, end) {
  const svg = $('c-' + id);
  const W = 340, H = 180, L = 36, R = 8, T = 10, B = 20;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const max = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[1])));
  const x = (t) => L + (1 - (end - t) / WINDOW_MS) * (W - L - R);
  const y = (v) => T + (1 - v / max) * (H - T - B);
  const style = getComputedStyle(document.documentElement);
  const parts = [`<line class="axis" x1="${L}" y1="${T}" x2="${L}" y2="${H - B}"/>`,
    `<line class="axis" x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}"/>`,
    `<text x="${L - 4}" y="${T + 8}" text-anchor="end">${count(max)}</text>`,
    `<text x="${L - 4}" y="${H - B}" text-anchor="end">0</text>`,
    `<text x="${L}" y="${H - 4}">−2 min</text><text x="${W - R}" y="${H - 4}" text-anchor="end">now</text>`];
  series.forEach((s, i) => {
    const pts = s.points.filter((p) => p[0] >= end - WINDOW_MS);
    if (!pts.length) return;
    const color = style.getPropertyValue(COLORS[i % COLORS.length]).trim();
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((p) => x(p[0]).toFixed(1) + ',' + y(p[1]).toFixed(1)).join(' ')}"/>`);
  });
  svg.innerHTML = parts.join('');
  $('l-' + id).replaceChildren(...series.map((s, i) => {
    const last = s.points.length ? s.points[s.points.length - 1][1] : 0;
    const swatch = el('span', { 'aria-hidden': 'true', 'data-color': String(i % COLORS.length) });
    swatch.style.background = `var(${COLORS[i % COLORS.length]})`;
    return el('li', { 'data-series': s.name }, swatch, s.name + ': ' + count(last));
  }));
}

markNav();
if (sessionStorage.getItem(KEY)) start();
else $('key').focus();
