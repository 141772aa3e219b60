/**
 * @module collectors/traces: settled per-second records spilled to the run folder (`span-seconds.ndjson.gz`) so a
 * long run's per-second statistics cost disk, not memory. Records are gathered and written as one gzip member per
 * batch; the byte range of each member is remembered (a few numbers per minute of run), so reading back inflates
 * one member at a time instead of the whole file.
 */
import { appendFileSync, closeSync, openSync, readSync, rmSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';

/** The file's name in the run folder. */
export const SPAN_SECONDS_FILE = 'span-seconds.ndjson.gz';

/** Records gathered before a member is written. */
const BATCH_RECORDS = 2000;

export class SecondsSpill {
  private pending: string[] = [];
  /** Byte offset and length of each member written, in order. */
  private readonly members: { offset: number; length: number }[] = [];
  private bytes = 0;
  private records = 0;

  /** Starts `path` empty (a reused run folder never mixes two runs). */
  constructor(private readonly path: string) {
    rmSync(path, { force: true });
    appendFileSync(path, '');
  }

  /** Adds one record (written at the next batch boundary or `flush`). */
  append(record: unknown): void {
    this.pending.push(JSON.stringify(record));
    this.records++;
    if (this.pending.length >= BATCH_RECORDS) this.flush();
  }

  /** Writes the gathered records as one gzip member. */
  flush(): void {
    if (this.pending.length === 0) return;
    const member = gzipSync(`${this.pending.join('\n')}\n`);
    this.pending = [];
    appendFileSync(this.path, member);
    this.members.push({ offset: this.bytes, length: member.length });
    this.bytes += member.length;
  }

  /** Calls `fn` with every record appended so far, in order (gathered ones included). */
  forEach<T>(fn: (record: T) => void): void {
    this.flush();
    if (this.members.length === 0) return;
    const fd = openSync(this.path, 'r');
    try {
      for (const m of this.members) {
        const buf = Buffer.allocUnsafe(m.length);
        readSync(fd, buf, 0, m.length, m.offset);
        for (const line of gunzipSync(buf).toString('utf8').split('\n')) if (line !== '') fn(JSON.parse(line) as T);
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Records appended and compressed bytes written (for memory and disk figures). */
  stats(): { readonly records: number; readonly bytesOnDisk: number } {
    return { records: this.records, bytesOnDisk: this.bytes };
  }
}
