/**
 * @module collectors/store: an arrival-ordered list with a memory cap, in items and in estimated bytes; past
 * either the oldest items are appended to an ndjson file (or dropped and counted when there is no file). The file holds items in
 * arrival order with no duplicates, so a scan is "file lines, then what is still in memory".
 */
import { appendFileSync, createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface SpillStats {
  readonly total: number;
  readonly inMemory: number;
  readonly onDisk: number;
  readonly dropped: number;
  /** Estimated heap bytes of the items in memory. */
  readonly bytesInMemory: number;
}

export interface SpillCap<T> {
  /** Items kept in memory. */
  readonly maxItems: number;
  /** Estimated bytes kept in memory (with `sizeOf`); Infinity = no byte cap. */
  readonly maxBytes?: number;
  readonly sizeOf?: (item: T) => number;
}

export class SpillQueue<T> {
  private mem: T[] = [];
  /** Estimated bytes of each in-memory item (parallel to mem), and their sum. */
  private sizes: number[] = [];
  private bytes = 0;
  /** Sequence number of mem[0]; items are numbered from 0 in arrival order. */
  private headSeq = 0;
  /** Items with seq < persistedSeq are in the file. */
  private persistedSeq = 0;
  private dropped = 0;

  private readonly maxInMemory: number;
  private readonly maxBytes: number;
  private readonly sizeOf: ((item: T) => number) | undefined;

  constructor(
    cap: number | SpillCap<T>,
    /** ndjson file to spill to; undefined = drop the oldest instead. */
    readonly file: string | undefined,
    private readonly onEvict?: (item: T) => void,
  ) {
    const c = typeof cap === 'number' ? { maxItems: cap } : cap;
    this.maxInMemory = c.maxItems;
    this.maxBytes = c.sizeOf ? (c.maxBytes ?? Infinity) : Infinity;
    this.sizeOf = c.sizeOf;
  }

  push(items: readonly T[]): void {
    for (const item of items) {
      this.mem.push(item);
      if (this.sizeOf) {
        const size = this.sizeOf(item);
        this.sizes.push(size);
        this.bytes += size;
      }
    }
    // Past a cap, evict down to 90 % of it, so the next pushes do not evict one by one.
    let n = this.mem.length > this.maxInMemory ? this.mem.length - this.maxInMemory + Math.ceil(this.maxInMemory / 10) : 0;
    if (this.bytes > this.maxBytes) {
      let freed = 0;
      let k = 0;
      while (k < this.sizes.length && this.bytes - freed > this.maxBytes * 0.9) freed += this.sizes[k++] as number;
      n = Math.max(n, k);
    }
    if (n > 0) this.evict(Math.min(n, this.mem.length));
  }

  /** Items still in memory, oldest first. */
  inMemory(): readonly T[] {
    return this.mem;
  }

  /** Writes every in-memory item not yet on disk to the file (kept in memory too). */
  flush(): void {
    if (!this.file) return;
    const from = this.persistedSeq - this.headSeq;
    this.write(this.mem.slice(Math.max(0, from)));
    this.persistedSeq = this.headSeq + this.mem.length;
  }

  /** Every item kept: spilled ones (read back from the file), then in-memory ones. Dropped ones are gone. */
  async *scan(): AsyncGenerator<T> {
    const headSeq = this.headSeq;
    const inMem = this.mem.slice();
    if (this.file && headSeq > this.dropped && existsSync(this.file)) {
      let line = 0;
      const rl = createInterface({ input: createReadStream(this.file, 'utf8'), crlfDelay: Infinity });
      for await (const text of rl) {
        if (line++ >= headSeq) break;
        if (text !== '') yield JSON.parse(text) as T;
      }
      rl.close();
    }
    yield* inMem;
  }

  stats(): SpillStats {
    const total = this.headSeq + this.mem.length;
    return { total, inMemory: this.mem.length, onDisk: this.file ? this.persistedSeq : 0, dropped: this.dropped, bytesInMemory: this.bytes };
  }

  private evict(n: number): void {
    const out = this.mem.slice(0, n);
    this.mem = this.mem.slice(n);
    if (this.sizeOf) {
      for (let i = 0; i < n; i++) this.bytes -= this.sizes[i] as number;
      this.sizes = this.sizes.slice(n);
    }
    if (this.file) {
      const from = Math.max(0, this.persistedSeq - this.headSeq);
      this.write(out.slice(from));
      this.persistedSeq = Math.max(this.persistedSeq, this.headSeq + n);
    } else this.dropped += n;
    this.headSeq += n;
    if (this.onEvict) for (const item of out) this.onEvict(item);
  }

  private write(items: readonly T[]): void {
    if (!this.file || items.length === 0) return;
    let text = '';
    for (const item of items) text += `${JSON.stringify(item)}\n`;
    appendFileSync(this.file, text);
  }
}
