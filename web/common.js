// What every page shares: element building, number formatting, a latency histogram, the nav.

/** `el('td', {class: 'num'}, '12')`: an element with attributes and text or child nodes. */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) e.append(c);
  return e;
}

/** Milliseconds since the epoch with sub-millisecond precision, comparable between frames of one browser. */
export function now() {
  return performance.timeOrigin + performance.now();
}

/** A latency in milliseconds for people: `0.4 ms`, `12 ms`, `1.3 s`; `–` when there is none. */
export function ms(v) {
  if (v == null || !isFinite(v)) return '–';
  if (v < 10) return v.toFixed(1) + ' ms';
  if (v < 1000) return Math.round(v) + ' ms';
  return (v / 1000).toFixed(1) + ' s';
}

/** A count or size: `950`, `12.3k`, `4.1M`. */
export function count(v) {
  if (v == null || !isFinite(v)) return '–';
  if (v < 1000) return String(Math.round(v * 10) / 10);
  if (v < 1e6) return (v / 1e3).toFixed(1) + 'k';
  return (v / 1e6).toFixed(1) + 'M';
}

/**
 * Log-bucket histogram of latencies: bucket i holds [0.1·1.15^i, 0.1·1.15^(i+1)) ms, so a quantile is
 * within ±7% whatever the scale, in a few hundred counters at most.
 */
export class Histogram {
  constructor() {
    this.buckets = [];
    this.n = 0;
  }

  add(v) {
    const i = Math.max(0, Math.floor(Math.log(Math.max(v, 0.1) / 0.1) / Math.log(1.15)));
    this.buckets[i] = (this.buckets[i] || 0) + 1;
    this.n++;
  }

  /** The q-quantile (0 < q ≤ 1), as the middle of its bucket; null when empty. */
  quantile(q) {
    if (!this.n) return null;
    let seen = 0;
    const rank = Math.ceil(q * this.n);
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i] || 0;
      if (seen >= rank) return 0.1 * Math.pow(1.15, i + 0.5);
    }
    return null;
  }
}

/** Marks the nav link of this page (aria-current) so people and screen readers know where they are. */
export function markNav() {
  for (const a of document.querySelectorAll('header.top a[href]')) {
    if (a.getAttribute('href') === location.pathname) a.setAttribute('aria-current', 'page');
  }
}
