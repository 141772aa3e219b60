/**
 * @module bench: a remote-write receiver that reads and discards every push (its own process, so its work is not
 * counted against the engine). Prints `listening <port>`; `GET /stats` answers `{ pushes, bytes }`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

let pushes = 0;
let bytes = 0;
const server = createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ pushes, bytes }));
    return;
  }
  req.on('data', (c: Buffer) => (bytes += c.length));
  req.on('end', () => {
    pushes++;
    res.writeHead(204).end();
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
