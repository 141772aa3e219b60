/** @module collectors/otlp: gunzips a request body under the same cap as the read (bomb guard); the capped read is core's. */
import { gunzip } from 'node:zlib';
import { BodyError } from '../../core/http-body.js';

export { BodyError, ByteBudget, readBody } from '../../core/http-body.js';

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
