// The demo chat: a demo token for the nickname (POST /demo/token), the room's history, then live messages,
// presence and typing on the chosen transport. Rooms are presence-demo-chat-ROOM; typing goes to
// demo-typing-ROOM, which keeps it out of the room's history.
import { Switchboard } from '/switchboard.js';
import { el, markNav } from '/web/common.js';

const $ = (id) => document.getElementById(id);
let sb = null;
let room = null;
let me = null;
const typers = new Map(); // user → timer that clears them

const saved = JSON.parse(sessionStorage.getItem('sb-chat') || '{}');
if (saved.nick) $('nick').value = saved.nick;
if (saved.room) $('room').value = saved.room;
if (saved.transport) $('transport').value = saved.transport;

$('join').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('join-error').textContent = '';
  const nick = $('nick').value.trim();
  const name = $('room').value.trim();
  const transport = $('transport').value;
  sessionStorage.setItem('sb-chat', JSON.stringify({ nick, room: name, transport }));
  try {
    const r = await fetch('/demo/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: nick }) });
    const body = await r.json();
    if (!r.ok) throw new Error(body.reason || 'HTTP ' + r.status);
    await enter(body.token, nick, name, transport);
  } catch (err) {
    $('join-error').textContent = 'Could not join: ' + err.message;
  }
});

async function enter(token, nick, name, transport) {
  me = nick;
  room = 'presence-demo-chat-' + name;
  sb = new Switchboard(location.origin, Object.assign({ token }, transport ? { transports: [transport] } : {}));
  sb.on('state', ({ state, transport: t }) => {
    $('conn').textContent = state + (t ? ' · ' + t : '');
    $('conn').className = 'badge ' + state;
  });
  $('join').hidden = true;
  $('room-view').hidden = false;
  $('room-title').textContent = '#' + name;
  $('messages').replaceChildren();
  // History first, then live from its cursor: nothing missed, nothing twice.
  const history = await sb.history(room, { limit: 50 });
  history.messages.forEach(show);
  const sub = sb.subscribe(room, { since: history.cursor });
  sub.on('message', show);
  sub.on('subscribed', refreshMembers);
  sub.on('join', refreshMembers);
  sub.on('leave', refreshMembers);
  sub.on('error', (err) => { $('say-error').textContent = 'The room refused us: ' + err.reason; });
  sb.subscribe('demo-typing-' + name).on('message', (m) => {
    if (m.from && m.from !== me) typing(m.from);
  });
  $('text').focus();
}

function show(m) {
  if (m.type !== 'message' || m.event !== 'say') return;
  const who = m.from || '?';
  const when = new Date(m.ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const list = $('messages');
  list.append(el('li', {}, el('span', { class: 'who', text: who }), String(m.data && m.data.text || ''),
    el('time', { class: 'when', datetime: new Date(m.ts).toISOString(), text: when })));
  list.scrollTop = list.scrollHeight;
  clearTimeout(typers.get(who));
  typers.delete(who);
  renderTyping();
}

async function refreshMembers() {
  try {
    const members = await sb.presence(room);
    $('members').replaceChildren(...members.map((m) => el('li', { text: m.user + (m.user === me ? ' (you)' : '') })));
  } catch (err) {
    $('members').replaceChildren(el('li', { text: 'presence unavailable: ' + err.reason }));
  }
}

function typing(user) {
  clearTimeout(typers.get(user));
  typers.set(user, setTimeout(() => { typers.delete(user); renderTyping(); }, 3000));
  renderTyping();
}

function renderTyping() {
  const names = [...typers.keys()];
  $('typing').textContent = names.length ? names.join(', ') + (names.length > 1 ? ' are' : ' is') + ' typing…' : '';
}

let lastTyping = 0;
$('text').addEventListener('input', () => {
  if (!sb || Date.now() - lastTyping < 1500) return;
  lastTyping = Date.now();
  sb.publish('demo-typing-' + room.slice('presence-demo-chat-'.length), 'typing', {}).catch(() => {});
});

$('say').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = $('text').value.trim();
  if (!text || !sb) return;
  $('say-error').textContent = '';
  try {
    await sb.publish(room, 'say', { text });
    $('text').value = '';
    lastTyping = 0;
  } catch (err) {
    $('say-error').textContent = 'Not sent: ' + (err.reason || err.message);
  }
});

$('leave').addEventListener('click', () => {
  if (sb) sb.close();
  sb = null;
  $('room-view').hidden = true;
  $('join').hidden = false;
  $('members').replaceChildren();
});

markNav();
