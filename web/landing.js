// The landing page: this server's origin in the snippets, its live figures from the public /metrics.
import { count, markNav } from '/web/common.js';

const ws = location.origin.replace(/^http/, 'ws');
for (const code of document.querySelectorAll('pre code')) {
  code.textContent = code.textContent.replaceAll('WSORIGIN', ws).replaceAll('ORIGIN', location.origin);
}

/** Sums the samples of one metric in Prometheus text (every label set). */
function metric(text, name) {
  let sum = 0, found = false;
  for (const line of text.split('\n')) {
    if (line.startsWith(name + ' ') || line.startsWith(name + '{')) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
      found = true;
    }
  }
  return found ? sum : null;
}

async function refresh() {
  try {
    const r = await fetch('/metrics', { cache: 'no-store' });
    const text = await r.text();
    document.getElementById('s-connections').textContent = count(metric(text, 'switchboard_connections') ?? 0);
    document.getElementById('s-published').textContent = count(metric(text, 'switchboard_messages_published_total'));
    document.getElementById('s-delivered').textContent = count(metric(text, 'switchboard_messages_delivered_total'));
    const memory = metric(text, 'jvm_memory_used_bytes');
    document.getElementById('s-memory').textContent = memory == null ? '–' : Math.round(memory / 1048576) + ' MiB';
  } catch (e) {
    // The figures stay as they were; the page itself still works.
  }
}

// Without the demo the lab and chat answer 404: say so instead of linking to them.
fetch('/lab', { method: 'HEAD' }).then((r) => {
  if (r.status === 404) {
    document.querySelectorAll('a.demo').forEach((a) => a.remove());
    document.querySelectorAll('header.top a[href="/lab"], header.top a[href="/demo/chat"]').forEach((a) => a.remove());
    document.getElementById('no-demo').hidden = false;
  }
}, () => {});

markNav();
refresh();
setInterval(refresh, 2000);
