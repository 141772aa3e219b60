/**
 * @module collectors/store: kept spans on disk — gzip-compressed ndjson, rotated at a size (`spans-0001.ndjson.gz`, …),
 * the oldest file removed when the total passes a bound. Each flush appends one complete gzip member, so a run killed
 * mid-write leaves every earlier span readable; the reader stops at the break. Old runs' plain `spans.ndjson` still reads.
 */
import { appendFileSync, createReadStream, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, gzipSync } from 'node:zlib';
import type { SpanRecord } from '../otlp/types.js';

/** The plain file of runs written before compression (and what `spans.ndjson` readers looked for). */
const PLAIN_SPANS_FILE = 'spans.ndjson';
const ROTATED = /^spans-(\d{4,})\.ndjson\.gz$/;
const fileName = (n: number): string => `spans-${String(n).padStart(4, '0')}.ndjson.gz`;

export interface SpanFileOptions {
  /** Start a new file once the current one has this many compressed bytes. */
  readonly rotateBytes: number;
  /** Compressed bytes of all files together; past it the oldest file is removed (its spans counted as dropped). */
  readonly maxBytes: number;
  /** Uncompressed bytes gathered before a gzip member is written (default 1 MiB). */
  readonly chunkBytes?: number;
}

export interface SpanFileStats {
  readonly files: number;
  readonly bytesOnDisk: number;
  readonly spansWritten: number;
  /** Spans in files removed to stay under `maxBytes`. */
  readonly spansRemoved: number;
  readonly filesRemoved: number;
  /** Spans that could not be written (disk full, folder gone), and the last error. */
  readonly spansLost: number;
  readonly lastError?: string;
}

/** Span files in a folder, oldest first: rotated compressed files, then a plain spans.ndjson if there is one. */
export function spanFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir);
  const rotated = names.filter((n) => ROTATED.test(n)).sort();
  return [...rotated, ...(names.includes(PLAIN_SPANS_FILE) ? [PLAIN_SPANS_FILE] : [])].map((n) => join(dir, n));
}

/** Removes a folder's span files (a store starting in a reused folder never mixes two runs). */
export function removeSpanFiles(dir: string): void {
  for (const f of spanFilesIn(dir)) rmSync(f, { force: true });
}

export class SpanFileWriter {
  private chunk: string[] = [];
  private chunkLength = 0;
  private chunkSpans = 0;
  private fileNumber = 1;
  private fileBytes = 0;
  /** Closed and current files, oldest first, with their sizes and span counts. */
  private readonly files: { path: string; bytes: number; spans: number }[] = [];
  private spansWritten = 0;
  private spansRemoved = 0;
  private filesRemoved = 0;
  private spansLost = 0;
  private lastError: string | undefined;

  constructor(private readonly dir: string, private readonly options: SpanFileOptions) {}

  write(spans: readonly SpanRecord[]): void {
    for (const s of spans) {
      const line = `${JSON.stringify(s)}\n`;
      this.chunk.push(line);
      this.chunkLength += line.length;
      this.chunkSpans++;
    }
    if (this.chunkLength >= (this.options.chunkBytes ?? 1024 * 1024)) this.flush();
  }

  /** Writes what is gathered as one gzip member (a complete, readable unit even if the run dies right after). */
  flush(): void {
    if (this.chunkSpans === 0) return;
    const gz = gzipSync(this.chunk.join(''));
    let current = this.files[this.files.length - 1];
    if (!current || this.fileBytes >= this.options.rotateBytes) {
      if (current) this.fileNumber++;
      current = { path: join(this.dir, fileName(this.fileNumber)), bytes: 0, spans: 0 };
      this.files.push(current);
      this.fileBytes = 0;
    }
    try {
      appendFileSync(current.path, gz);
    } catch (err) {
      // A full disk or a removed folder must not end the run (this runs on a timer): the spans are counted as lost.
      this.spansLost += this.chunkSpans;
      this.lastError = err instanceof Error ? err.message : String(err);
      this.chunk = [];
      this.chunkLength = 0;
      this.chunkSpans = 0;
      return;
    }
    current.bytes += gz.length;
    current.spans += this.chunkSpans;
    this.fileBytes += gz.length;
    this.spansWritten += this.chunkSpans;
    this.chunk = [];
    this.chunkLength = 0;
    this.chunkSpans = 0;
    this.enforceBound();
  }

  stats(): SpanFileStats {
    return {
      files: this.files.length, bytesOnDisk: this.files.reduce((n, f) => n + f.bytes, 0),
      spansWritten: this.spansWritten, spansRemoved: this.spansRemoved, filesRemoved: this.filesRemoved,
      spansLost: this.spansLost, ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  private enforceBound(): void {
    let total = this.files.reduce((n, f) => n + f.bytes, 0);
    // Never the file being written: the newest spans (a run's end, its recovery) stay.
    while (total > this.options.maxBytes && this.files.length > 1) {
      const oldest = this.files.shift() as { path: string; bytes: number; spans: number };
      rmSync(oldest.path, { force: true });
      total -= oldest.bytes;
      this.spansRemoved += oldest.spans;
      this.filesRemoved++;
    }
  }
}

/** Where reading a span file stopped early: a truncated or corrupt tail (a killed run). */
export interface SpanReadBreak {
  readonly file: string;
  readonly reason: string;
}

/**
 * Every span of a folder's span files, oldest file first. A compressed file that ends mid-member, or a last line
 * cut short, yields everything before the break and calls `onBreak`; it never throws for it.
 */
export async function* readSpanFiles(dir: string, onBreak?: (b: SpanReadBreak) => void): AsyncGenerator<SpanRecord> {
  for (const file of spanFilesIn(dir)) yield* readSpanFile(file, onBreak);
}

/** One span file (`.gz` or plain), read as `readSpanFiles` does. `filter` skips lines before parsing (a cheap pre-check). */
export async function* readSpanFile(file: string, onBreak?: (b: SpanReadBreak) => void, filter?: (line: string) => boolean): AsyncGenerator<SpanRecord> {
  if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return;
  const input = createReadStream(file);
  // A member cut short: gunzip hands over everything it decoded, then fails with "unexpected end of file".
  const source = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  input.on('error', (err) => source.destroy(err));
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let broken: string | undefined;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const text = rest + decoder.write(chunk);
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '' || (filter && !filter(line))) continue;
        yield JSON.parse(line) as SpanRecord;
      }
    }
  } catch (err) {
    broken = err instanceof Error ? err.message : String(err);
  } finally {
    input.destroy();
  }
  if (rest.trim() !== '') {
    // A last line without its newline: whole if it parses, else the cut the break left.
    try {
      const span = JSON.parse(rest) as SpanRecord;
      if (!filter || filter(rest)) yield span;
    } catch {
      broken ??= 'the last line is cut short';
    }
  }
  if (broken !== undefined) onBreak?.({ file, reason: broken });
}
