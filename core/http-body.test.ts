/** @module core: the capped body reader on a real HTTP server: whole bodies, the size cap (declared or streamed), the budget. */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyError, ByteBudget, readBody } from './http-body.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Serves one route that reads the body with `read` and answers its length or the failure kind. */
async function serve(read: (req: IncomingMessage) => Promise<Buffer>): Promise<number> {
  server = createServer((req, res) => {
    read(req).then(
      (body) => res.end(`ok ${body.length}`),
      (err: unknown) => res.end(err instanceof BodyError ? `failed ${err.failure}` : 'other'),
    );
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** POSTs `chunks` (chunked encoding unless `length` is given) and returns the answer text. */
function post(port: number, chunks: Buffer[], length?: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', headers: length === undefined ? {} : { 'content-length': length } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('readBody', { timeout: 15_000 }, () => {
  it('reads a body within the cap', async () => {
    const port = await serve((req) => readBody(req, 100));
    expect(await post(port, [Buffer.alloc(40), Buffer.alloc(60)])).toBe('ok 100');
  });

  it('fails with tooLarge on a streamed body past the cap, and on a declared Content-Length past it', async () => {
    const port = await serve((req) => readBody(req, 100));
    expect(await post(port, [Buffer.alloc(60), Buffer.alloc(60)])).toBe('failed tooLarge');
    expect(await post(port, [Buffer.alloc(101)], 101)).toBe('failed tooLarge');
  });

  it('fails with busy when the shared budget cannot hold the body, and keeps the bytes taken on success', async () => {
    const budget = new ByteBudget(150);
    const port = await serve((req) => readBody(req, 1000, budget));
    expect(await post(port, [Buffer.alloc(100)])).toBe('ok 100');
    expect(budget.used).toBe(100);
    expect(await post(port, [Buffer.alloc(100)])).toBe('failed busy');
    expect(budget.used).toBe(100);
  });
});
