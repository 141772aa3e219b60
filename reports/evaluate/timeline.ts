/** @module reports/evaluate: the per-second timeline (overall, per scenario, per service) as columns. */
import type { SeriesColumns, ServiceColumns, Timeline } from '../results/types.js';
import type { LoadQuery, SecondRow, ServiceSecondRow } from './input.js';

const STEP_MS = 1000;

/** One column set from the query's rows, one slot per second of the run. */
function columns(rows: readonly SecondRow[], seconds: number): SeriesColumns {
  const requests = new Array<number>(seconds).fill(0);
  const failed = new Array<number>(seconds).fill(0);
  const errorRate = new Array<number>(seconds).fill(0);
  const p50Ms = new Array<number | null>(seconds).fill(null);
  const p95Ms = new Array<number | null>(seconds).fill(null);
  const p99Ms = new Array<number | null>(seconds).fill(null);
  const vus = new Array<number | null>(seconds).fill(null);
  const droppedIterations = new Array<number>(seconds).fill(0);
  const byStart = rows.some((r) => r.byIntendedStart !== undefined) ? new Array<number>(seconds).fill(0) : undefined;
  for (const row of rows) {
    const i = Math.floor(row.startMs / STEP_MS);
    if (i < 0 || i >= seconds) continue;
    requests[i] = row.count;
    failed[i] = row.failed;
    if (row.count > 0) {
      errorRate[i] = row.failed / row.count;
      p50Ms[i] = round2(row.p50Ms);
      p95Ms[i] = round2(row.p95Ms);
      p99Ms[i] = round2(row.p99Ms);
    }
    if (row.vus !== undefined) vus[i] = row.vus;
    droppedIterations[i] = row.droppedIterations ?? 0;
    if (byStart) byStart[i] = row.byIntendedStart ?? 0;
  }
  return { requests, failed, errorRate, p50Ms, p95Ms, p99Ms, vus, droppedIterations, ...(byStart ? { requestsByIntendedStart: byStart } : {}) };
}

/** Per-service span count and p95, one slot per second (from the after-run span pass). */
export function serviceColumns(rows: readonly ServiceSecondRow[], seconds: number): Record<string, ServiceColumns> {
  const out: Record<string, { count: number[]; p95Ms: (number | null)[] }> = {};
  for (const row of rows) {
    const i = Math.floor(row.startMs / STEP_MS);
    if (i < 0 || i >= seconds) continue;
    const col = (out[row.service] ??= { count: new Array<number>(seconds).fill(0), p95Ms: new Array<number | null>(seconds).fill(null) });
    col.count[i] = row.count;
    if (row.count > 0) col.p95Ms[i] = round2(row.p95Ms);
  }
  return out;
}

/** p95/p99 from the intended start per second; nothing when the source kept no corrected durations. */
function intendedColumns(rows: readonly SecondRow[], seconds: number): Pick<SeriesColumns, 'p95IntendedMs' | 'p99IntendedMs'> {
  if (!rows.some((r) => r.count > 0)) return {};
  const p95IntendedMs = new Array<number | null>(seconds).fill(null);
  const p99IntendedMs = new Array<number | null>(seconds).fill(null);
  for (const row of rows) {
    const i = Math.floor(row.startMs / STEP_MS);
    if (i < 0 || i >= seconds || row.count === 0) continue;
    p95IntendedMs[i] = round2(row.p95Ms);
    p99IntendedMs[i] = round2(row.p99Ms);
  }
  return { p95IntendedMs, p99IntendedMs };
}

/** Seconds 0 … ceil(runMs / 1000) − 1. */
export function buildTimeline(load: LoadQuery, runMs: number, serviceRows: readonly ServiceSecondRow[]): Timeline {
  const seconds = Math.max(1, Math.ceil(runMs / STEP_MS));
  const scenarios: Record<string, SeriesColumns> = {};
  for (const scenario of [...new Set(load.endpoints().map((e) => e.scenario))].sort()) {
    scenarios[scenario] = columns(load.perSecond({ scenario }), seconds);
  }
  return {
    stepMs: STEP_MS,
    startMs: Array.from({ length: seconds }, (_, i) => i * STEP_MS),
    overall: { ...columns(load.perSecond({}), seconds), ...intendedColumns(load.perSecond({ latencyFrom: 'intended' }), seconds) },
    scenarios,
    services: serviceColumns(serviceRows, seconds),
  };
}

export const round2 = (n: number): number => Math.round(n * 100) / 100;
