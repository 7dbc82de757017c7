// A cross-check of the load tool's latency figures (docs/PERFORMANCE.md, "pacing error"): two sockets on one
// Switchboard node (dev tokens on, rate limit off), one sends a message every 10 ms, the other
// measures send-to-receive with performance.now(). Node's `ws` (from the peer's node_modules):
//   cp bench/latency-probe.mjs .run/bench-peer/ && (cd .run/bench-peer && SWITCHBOARD_URL=http://127.0.0.1:8199 node latency-probe.mjs)
import WebSocket from 'ws';
const base = process.env.SWITCHBOARD_URL || 'http://127.0.0.1:8080';
async function token(user) {
  const r = await fetch(base + '/api/auth/token', {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({user})});
  return (await r.json()).token;
}
function open(t) {
  return new Promise((res, rej) => { const ws = new WebSocket(base.replace('http', 'ws') + '/ws?token=' + t); ws.on('open', () => res(ws)); ws.on('error', rej); });
}
const a = await open(await token('lat-a')), b = await open(await token('lat-b'));
const wait = (ws, type) => new Promise(res => { const h = d => { const f = JSON.parse(d); if (f.type === type) { ws.off('message', h); res(f); } }; ws.on('message', h); });
a.send(JSON.stringify({type: 'join', room: 'lat'})); await wait(a, 'joined');
b.send(JSON.stringify({type: 'join', room: 'lat'})); await wait(b, 'joined');
const lat = [];
b.on('message', d => { const f = JSON.parse(d); if (f.type === 'message') lat.push(performance.now() - Number(f.text)); });
for (let i = 0; i < 1500; i++) { a.send(JSON.stringify({type: 'send', room: 'lat', text: String(performance.now()), ref: 'r' + i})); await new Promise(r => setTimeout(r, 10)); }
await new Promise(r => setTimeout(r, 500));
const s = lat.slice(500).sort((x, y) => x - y);
console.log('n', s.length, 'p50', s[Math.floor(s.length * 0.5)].toFixed(2), 'p99', s[Math.floor(s.length * 0.99)].toFixed(2));
process.exit(0);
