// The JavaScript client in Node with a client token, against a server that verifies tokens and lets
// clients publish only where a token allows it. For each fetch-based transport a client with the token
// subscribes to a private channel, publishes to it and receives; a client without a token is refused.
// Usage: node client-node-token.mjs BASE_URL TOKEN
// Prints READY, then REFUSED <json: status of the refusal>, then RESULT <json> when every client has two messages.
import { Switchboard } from '../../client-js/src/switchboard.js';

const [base, token] = process.argv.slice(2);
const names = ['sse', 'stream', 'longpoll', 'poll'];
const clients = {};
await Promise.all(names.map((name) => new Promise((resolve) => {
  const sb = new Switchboard(base, { token, transports: [name], pollInterval: 200 });
  const got = [];
  const sub = sb.subscribe('private-' + name);
  sub.on('message', (m) => got.push({ offset: m.offset, event: m.event, from: m.from ?? null }));
  sub.on('subscribed', resolve);
  clients[name] = { sb, got };
})));

const anonymous = new Switchboard(base, { transports: ['sse'] });
const refused = await new Promise((resolve) => {
  anonymous.subscribe('private-sse').on('error', (e) => resolve({ status: e.status, code: e.code }));
});
console.log('REFUSED ' + JSON.stringify(refused));
anonymous.close();

console.log('READY');
for (const name of names) await clients[name].sb.publish('private-' + name, 'from-node', { name });
const deadline = Date.now() + 20000;
while (names.some((n) => clients[n].got.length < 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
console.log('RESULT ' + JSON.stringify(Object.fromEntries(names.map((n) => [n, clients[n].got]))));
for (const name of names) clients[name].sb.close();
