/**
 * @module reports/testing: a `LoadQuery` over real HDR histograms per second × scenario × name × status (with
 * per-minute roll-ups so long windows merge few histograms). Test data and benchmark input for the report room;
 * it shows the orchestrator one way to adapt a per-second histogram store. @internal
 */
import * as hdr from 'hdr-histogram-js';
import type { LatencyQuery, LoadFilter, LoadQuery, SecondFilter, SecondRow, WindowStats } from '../evaluate/input.js';

type Histogram = hdr.Histogram;

interface SyntheticRequest {
  /** Run offset of the request's start (ms). */
  readonly atMs: number;
  readonly scenario: string;
  readonly name: string;
  readonly status: number;
  readonly durationMs: number;
  readonly failed: boolean;
  /** `hl7`: an HL7 message of an `mllp` step (ACK time, failed = not `AA`); default an HTTP request. */
  readonly events?: 'http' | 'hl7';
}

interface Cell {
  readonly events: 'http' | 'hl7';
  readonly scenario: string;
  readonly name: string;
  readonly status: number;
  readonly failed: boolean;
  readonly hist: Histogram;
}

const newHistogram = (): Histogram =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000, numberOfSignificantValueDigits: 2, bitBucketSize: 32 });

export interface HistogramLoad extends LoadQuery {
  /** Records `count` identical requests (default 1). */
  record(request: SyntheticRequest, count?: number): void;
  /** Active VUs of a scenario in a second (overall = sum over scenarios). */
  recordVus(second: number, scenario: string, vus: number): void;
  recordDropped(second: number, scenario: string, count: number): void;
}

/** Latency answers from one merged histogram (values recorded as whole ms). */
function latencyOf(h: Histogram): LatencyQuery {
  return {
    p: (q) => h.getValueAtPercentile(q),
    countAtOrBelow(ms) {
      let n = 0;
      const it = (h as unknown as { recordedValuesIterator: { reset(): void; hasNext(): boolean; next(): { valueIteratedTo: number; countAtValueIteratedTo: number } } }).recordedValuesIterator;
      it.reset();
      while (it.hasNext()) {
        const v = it.next();
        if (v.valueIteratedTo > ms) break;
        n += v.countAtValueIteratedTo;
      }
      return n;
    },
    avg: h.mean, min: h.totalCount > 0 ? h.minNonZeroValue : 0, max: h.maxValue,
  };
}

export function createHistogramLoad(): HistogramLoad {
  const seconds = new Map<number, Map<string, Cell>>();
  const minutes = new Map<number, Map<string, Cell>>();
  const vus = new Map<number, Map<string, number>>();
  const dropped = new Map<number, Map<string, number>>();
  const endpoints = new Map<string, { scenario: string; name: string }>();
  const hl7Endpoints = new Map<string, { scenario: string; name: string }>();

  const cellIn = (level: Map<number, Map<string, Cell>>, index: number, r: SyntheticRequest): Cell => {
    let cells = level.get(index);
    if (!cells) level.set(index, (cells = new Map()));
    const events = r.events ?? 'http';
    const key = `${events}\u0000${r.scenario}\u0000${r.name}\u0000${r.status}\u0000${r.failed}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { events, scenario: r.scenario, name: r.name, status: r.status, failed: r.failed, hist: newHistogram() }));
    return cell;
  };
  const matches = (c: Cell, f: { scenario?: string; name?: string; status?: number; expectedResponse?: boolean; events?: 'http' | 'hl7' }): boolean =>
    c.events === (f.events ?? 'http') && (f.scenario === undefined || c.scenario === f.scenario) && (f.name === undefined || c.name === f.name) &&
    (f.status === undefined || c.status === f.status) && (f.expectedResponse === undefined || c.failed !== f.expectedResponse);

  function window(f: LoadFilter): WindowStats {
    const merged = newHistogram();
    let count = 0;
    let failed = 0;
    const take = (cells: Map<string, Cell> | undefined): void => {
      for (const c of cells?.values() ?? []) {
        if (!matches(c, f)) continue;
        merged.add(c.hist);
        count += c.hist.totalCount;
        if (c.failed) failed += c.hist.totalCount;
      }
    };
    const first = Math.ceil(f.fromMs / 1000);
    const end = Math.ceil(f.toMs / 1000); // seconds [first, end)
    for (let s = first; s < end; ) {
      if (s % 60 === 0 && s + 60 <= end) { take(minutes.get(s / 60)); s += 60; } else { take(seconds.get(s)); s++; }
    }
    return { count, failed, latency: latencyOf(merged) };
  }

  function perSecond(f: SecondFilter): SecondRow[] {
    const all = [...new Set([...seconds.keys(), ...vus.keys(), ...dropped.keys()])].sort((a, b) => a - b);
    return all.map((s) => {
      const merged = newHistogram();
      let count = 0;
      let failed = 0;
      for (const c of seconds.get(s)?.values() ?? []) {
        if (!matches(c, f)) continue;
        merged.add(c.hist);
        count += c.hist.totalCount;
        if (c.failed) failed += c.hist.totalCount;
      }
      const sumOf = (m: Map<string, number> | undefined): number | undefined =>
        m === undefined ? undefined : f.scenario === undefined ? [...m.values()].reduce((a, b) => a + b, 0) : m.get(f.scenario);
      const lat = latencyOf(merged);
      return {
        startMs: s * 1000, count, failed, p50Ms: lat.p(50), p95Ms: lat.p(95), p99Ms: lat.p(99),
        ...(f.atOrBelowMs === undefined ? {} : { atOrBelow: count ? lat.countAtOrBelow(f.atOrBelowMs) : 0 }),
        ...(sumOf(vus.get(s)) === undefined ? {} : { vus: sumOf(vus.get(s)) }),
        ...(sumOf(dropped.get(s)) === undefined ? {} : { droppedIterations: sumOf(dropped.get(s)) }),
      };
    });
  }

  const put = (level: Map<number, Map<string, number>>, second: number, scenario: string, value: number): void => {
    let m = level.get(second);
    if (!m) level.set(second, (m = new Map()));
    m.set(scenario, value);
  };

  return {
    record(r, count = 1) {
      const s = Math.floor(r.atMs / 1000);
      const v = Math.max(0, Math.round(r.durationMs));
      cellIn(seconds, s, r).hist.recordValueWithCount(v, count);
      cellIn(minutes, Math.floor(s / 60), r).hist.recordValueWithCount(v, count);
      (r.events === 'hl7' ? hl7Endpoints : endpoints).set(`${r.scenario}\u0000${r.name}`, { scenario: r.scenario, name: r.name });
    },
    recordVus: (second, scenario, n) => put(vus, second, scenario, n),
    recordDropped: (second, scenario, n) => put(dropped, second, scenario, n),
    endpoints: () => [...endpoints.values()],
    hl7Endpoints: () => [...hl7Endpoints.values()],
    window,
    perSecond,
  };
}
