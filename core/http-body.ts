/** @module core: reads an HTTP request body under a size cap (and an optional shared byte budget), for every server codeblue runs. */
import type { IncomingMessage } from 'node:http';

/**
 * Why a body could not be read: `tooLarge` → 413, `malformed` → 400, `busy` (the receiver's shared byte
 * budget is spent) → 429, `aborted` → the client went away.
 */
export type BodyFailure = 'tooLarge' | 'malformed' | 'busy' | 'aborted';

/** Bytes of request bodies held at once across all requests — the receiver's bounded queue, in bytes. */
export class ByteBudget {
  used = 0;
  constructor(readonly limit: number) {}
  take(n: number): boolean {
    if (this.used + n > this.limit) return false;
    this.used += n;
    return true;
  }
  give(n: number): void {
    this.used -= n;
  }
}

export class BodyError extends Error {
  constructor(readonly failure: BodyFailure, message: string) {
    super(message);
  }
}

/**
 * Reads the whole body, failing with `tooLarge` once more than `maxBytes` arrived (or were declared in
 * Content-Length), or `busy` when `budget` cannot hold the next chunk (the rest is discarded). On success the
 * body's bytes stay taken from `budget`: the caller gives them back when done. Without a budget only `maxBytes` limits.
 */
export function readBody(req: IncomingMessage, maxBytes: number, budget?: ByteBudget): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      req.resume();
      reject(new BodyError('tooLarge', `body of ${declared} bytes exceeds the limit of ${maxBytes} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const fail = (err: BodyError): void => {
      failed = true;
      chunks.length = 0;
      budget?.give(size);
      reject(err);
    };
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      if (size + chunk.length > maxBytes) return fail(new BodyError('tooLarge', `body exceeds the limit of ${maxBytes} bytes`));
      if (budget && !budget.take(chunk.length)) return fail(new BodyError('busy', `receiver is holding ${budget.limit} bytes of bodies already`));
      size += chunk.length;
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    });
    req.on('aborted', () => {
      if (!failed) fail(new BodyError('aborted', 'client aborted the request'));
    });
    req.on('error', (err) => {
      if (!failed) fail(new BodyError('aborted', err.message));
    });
  });
}
