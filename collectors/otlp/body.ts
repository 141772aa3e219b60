/** @module collectors/otlp: reads a request body under a size cap, and gunzips it under the same cap (bomb guard). */
import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';

/** Why a body could not be read: `tooLarge` → 413, `malformed` → 400, `aborted` → client went away. */
export type BodyFailure = 'tooLarge' | 'malformed' | 'aborted';

export class BodyError extends Error {
  constructor(readonly failure: BodyFailure, message: string) {
    super(message);
  }
}

/** Reads the whole body, failing with `tooLarge` once more than `maxBytes` arrived (the rest is discarded). */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
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
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        chunks.length = 0;
        reject(new BodyError('tooLarge', `body exceeds the limit of ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    });
    req.on('aborted', () => reject(new BodyError('aborted', 'client aborted the request')));
    req.on('error', (err) => reject(new BodyError('aborted', err.message)));
  });
}

/** Gunzips `body`, failing with `tooLarge` when the output would pass `maxBytes` (a gzip bomb). */
export function gunzipCapped(body: Buffer, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(body, { maxOutputLength: maxBytes }, (err, out) => {
      if (!err) return resolve(out);
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        return reject(new BodyError('tooLarge', `decompressed body exceeds the limit of ${maxBytes} bytes`));
      }
      reject(new BodyError('malformed', `invalid gzip body: ${err.message}`));
    });
  });
}
