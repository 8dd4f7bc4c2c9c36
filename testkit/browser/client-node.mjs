// The JavaScript client in Node (no browser): the source modules, as a Node app imports them. Clients with
// the default order and with each fetch-based transport forced subscribe, publish and receive.
// Usage: node client-node.mjs BASE_URL
// Prints READY <json: transport by channel>; the test publishes one message to each channel; each client
// publishes one too; prints RESULT <json> when every client has both.
import { Switchboard } from '../../client-js/src/switchboard.js';

const base = process.argv[2];
const names = ['default', 'sse', 'stream', 'longpoll', 'poll'];
const clients = {};
await Promise.all(names.map((name) => new Promise((resolve) => {
  const sb = new Switchboard(base, name === 'default' ? {} : { transports: [name], pollInterval: 200 });
  const got = [];
  sb.subscribe('node-' + name).on('message', (m) => got.push({ offset: m.offset, event: m.event, data: m.data }));
  sb.on('state', (c) => c.state === 'connected' && resolve());
  clients[name] = { sb, got };
})));
console.log('READY ' + JSON.stringify(Object.fromEntries(names.map((n) => ['node-' + n, clients[n].sb.transport]))));
for (const name of names) await clients[name].sb.publish('node-' + name, 'from-node', { name });
const deadline = Date.now() + 20000;
while (names.some((n) => clients[n].got.length < 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
console.log('RESULT ' + JSON.stringify(Object.fromEntries(names.map((n) => [n, clients[n].got]))));
for (const name of names) clients[name].sb.close();
