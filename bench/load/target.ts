/**
 * @module bench: the load benchmark's target, run in its own process: `GET /` answers 200 "ok" (keep-alive);
 * `GET /delay` sleeps the next delay of a fixed table and records the time it really held the request;
 * `GET /stats` returns those times (ms); `GET /hold` answers after 2 s (requests kept in flight, bench/vu-memory.ts).
 * Prints `listening <port>` when ready.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const held: number[] = [];
let k = 0;
// Known injected delays: 300 … 1000 ms in a fixed shuffled order.
const table = Array.from({ length: 701 }, (_, i) => 300 + ((i * 389) % 701));
const body = Buffer.from('ok');
const HOLD_MS = 2000;

const server = createServer((req, res) => {
  if (req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
    res.end(body);
    return;
  }
  if (req.url?.startsWith('/delay')) {
    const start = performance.now();
    const ms = table[k++ % table.length] as number;
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
      res.end(body, () => held.push(performance.now() - start));
    }, ms);
    return;
  }
  if (req.url === '/hold') {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
      res.end(body);
    }, HOLD_MS);
    return;
  }
  if (req.url === '/stats') {
    const text = JSON.stringify(held);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  res.writeHead(404).end();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
