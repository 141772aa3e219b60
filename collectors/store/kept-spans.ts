/**
 * @module collectors/store: where kept raw spans go — compressed, rotated files in the run folder, or (without a
 * folder) a bounded in-memory list indexed by trace id that drops its oldest.
 */
import type { SpanRecord } from '../otlp/types.js';
import { SpanFileWriter, readSpanFiles, type SpanFileOptions, type SpanFileStats } from './span-files.js';
import { SpillQueue, type SpillCap } from './spill-queue.js';

export interface KeptSpans {
  add(spans: readonly SpanRecord[]): void;
  /** Writes gathered spans out (files) — a no-op in memory. */
  flush(): void;
  scan(): AsyncGenerator<SpanRecord>;
  /** In-memory kept spans of a trace (none when they go to files). */
  spansOf(traceId: string): readonly SpanRecord[];
  stats(): { readonly inMemory: number; readonly bytesInMemory: number; readonly onDisk: number; readonly dropped: number; readonly files?: SpanFileStats };
}

export function keptSpansOnDisk(dir: string, options: SpanFileOptions): KeptSpans {
  const writer = new SpanFileWriter(dir, options);
  return {
    add: (spans) => writer.write(spans),
    flush: () => writer.flush(),
    scan() {
      writer.flush();
      return readSpanFiles(dir);
    },
    spansOf: () => [],
    stats() {
      const files = writer.stats();
      return { inMemory: 0, bytesInMemory: 0, onDisk: files.spansWritten - files.spansRemoved, dropped: files.spansRemoved + files.spansLost, files };
    },
  };
}

export function keptSpansInMemory(cap: SpillCap<SpanRecord>): KeptSpans {
  const byTrace = new Map<string, SpanRecord[]>();
  const unindex = (span: SpanRecord): void => {
    const list = byTrace.get(span.traceId);
    if (!list) return;
    // Eviction is oldest first, so the span is nearly always the head of its trace's list.
    if (list[0] === span) list.shift();
    else {
      const i = list.indexOf(span);
      if (i >= 0) list.splice(i, 1);
    }
    if (list.length === 0) byTrace.delete(span.traceId);
  };
  const queue = new SpillQueue<SpanRecord>(cap, undefined, unindex);
  return {
    add(spans) {
      for (const s of spans) {
        const list = byTrace.get(s.traceId);
        if (list) list.push(s);
        else byTrace.set(s.traceId, [s]);
      }
      queue.push(spans);
    },
    flush: () => undefined,
    scan: () => queue.scan(),
    spansOf: (traceId) => byTrace.get(traceId) ?? [],
    stats() {
      const q = queue.stats();
      return { inMemory: q.inMemory, bytesInMemory: q.bytesInMemory, onDisk: 0, dropped: q.dropped };
    },
  };
}
