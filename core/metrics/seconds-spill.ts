/**
 * @module core/metrics: settled per-second records spilled to the run folder (the span store's
 * `span-seconds.ndjson.gz`, the MetricStore's `samples/metric-seconds.ndjson.gz`) so a long run's per-second
 * statistics cost disk, not memory. Records are gathered and written as one gzip member per
 * batch; the byte range of each member is remembered (a few numbers per minute of run), so reading back inflates
 * one member at a time instead of the whole file.
 */
import { appendFileSync, closeSync, mkdirSync, openSync, readSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

/** Records, or bytes of JSON, gathered before a member is written (a span-seconds record is ~15 KB: a second's rows). */
const BATCH_RECORDS = 2000;
const BATCH_CHARS = 512 * 1024;

export class SecondsSpill {
  private pending: string[] = [];
  private pendingChars = 0;
  /** Byte offset and length of each member written, in order. */
  private readonly members: { offset: number; length: number }[] = [];
  private bytes = 0;
  private records = 0;

  /** Removes an old `path` (a reused run folder never mixes two runs; the file is made at the first write); a member is written every `batchRecords` records. */
  constructor(readonly path: string, private readonly batchRecords = BATCH_RECORDS) {
    rmSync(path, { force: true });
  }

  /** Adds one record (written at the next batch boundary or `flush`). */
  append(record: unknown): void {
    const line = JSON.stringify(record);
    this.pending.push(line);
    this.pendingChars += line.length;
    this.records++;
    if (this.pending.length >= this.batchRecords || this.pendingChars >= BATCH_CHARS) this.flush();
  }

  /** Writes the gathered records as one gzip member. */
  flush(): void {
    if (this.pending.length === 0) return;
    const member = gzipSync(`${this.pending.join('\n')}\n`);
    this.pending = [];
    this.pendingChars = 0;
    if (this.members.length === 0) mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, member);
    this.members.push({ offset: this.bytes, length: member.length });
    this.bytes += member.length;
  }

  /** Calls `fn` with every record appended so far, in order (gathered ones included). */
  forEach<T>(fn: (record: T) => void): void {
    this.flush();
    this.read(0, this.members.length, fn);
  }

  /** Members written so far (gathered records are written by `flush`). */
  memberCount(): number {
    return this.members.length;
  }

  /** Calls `fn` with every record of member `index`, in order: a reader may take the file a member at a time. */
  forEachOf<T>(index: number, fn: (record: T) => void): void {
    this.read(index, index + 1, fn);
  }

  /** The records of members [from, to), through one open of the file. */
  private read<T>(from: number, to: number, fn: (record: T) => void): void {
    const members = this.members.slice(from, to);
    if (members.length === 0) return;
    const fd = openSync(this.path, 'r');
    try {
      for (const m of members) {
        const buf = Buffer.allocUnsafe(m.length);
        readSync(fd, buf, 0, m.length, m.offset);
        for (const line of gunzipSync(buf).toString('utf8').split('\n')) if (line !== '') fn(JSON.parse(line) as T);
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Removes the file (its records are no longer needed). */
  remove(): void {
    this.pending = [];
    this.pendingChars = 0;
    this.members.length = 0;
    rmSync(this.path, { force: true });
  }

  /** Records appended and compressed bytes written (for memory and disk figures). */
  stats(): { readonly records: number; readonly bytesOnDisk: number } {
    return { records: this.records, bytesOnDisk: this.bytes };
  }
}
