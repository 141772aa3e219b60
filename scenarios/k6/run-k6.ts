/** @module scenarios/k6: `--engine k6` — spawn a real `k6 run --out json=…` and ingest its output. */
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { CodeblueError } from '../../core/errors.js';
import type { MetricStore } from '../../core/metrics/index.js';
import { ingestK6Json, type IngestStats } from './ingest.js';

/** Finds an executable `k6` on PATH (or the given path); undefined when absent. */
export async function findK6(pathEnv = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of pathEnv.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'k6');
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface RunK6Options {
  /** The compiled script (from compileK6Script, written to disk). */
  readonly script: string;
  /** Where k6 writes its JSON lines. */
  readonly outFile: string;
  readonly baseUrl: string;
  readonly store: MetricStore;
  readonly signal?: AbortSignal;
  /** Explicit k6 binary; default: `k6` on PATH. */
  readonly k6Path?: string;
  /** k6's stdout/stderr lines (its own progress and summary). */
  readonly onOutput?: (line: string) => void;
}

export interface RunK6Result {
  /** k6's exit code: 0 ok, 99 thresholds failed, others are k6 errors. */
  readonly exitCode: number;
  readonly thresholdsFailed: boolean;
  readonly ingest: IngestStats;
}

/**
 * Runs `k6 run --out json=<outFile> -e BASE_URL=<baseUrl> <script>`, then ingests the output into `store`.
 * No k6 → CB_K6_NOT_FOUND (exit 3). k6 exit 104/107 (bad config/script) → CB_PLAN_INVALID.
 */
export async function runK6(opts: RunK6Options): Promise<RunK6Result> {
  const k6 = opts.k6Path ?? (await findK6());
  if (k6 === undefined) {
    throw new CodeblueError('CB_K6_NOT_FOUND', '--engine k6 needs the k6 binary, and none is on PATH', {
      hint: 'install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/) or drop --engine k6 to use the embedded engine',
    });
  }
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn(k6, ['run', '--out', `json=${opts.outFile}`, '-e', `BASE_URL=${opts.baseUrl}`, opts.script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') opts.onOutput?.(line);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    const onAbort = (): void => void child.kill('SIGINT');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (err) => reject(new CodeblueError('CB_K6_NOT_FOUND', `cannot start ${k6}: ${err.message}`, { cause: err })));
    child.once('close', (code, signal) => {
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(code ?? (signal ? 105 : 1));
    });
  });
  if (exitCode === 104 || exitCode === 107) {
    throw new CodeblueError('CB_PLAN_INVALID', `k6 rejected the compiled script (exit ${exitCode})`, { hint: 'run `k6 inspect --execution-requirements` on the exported script to see why' });
  }
  const ingest = await ingestK6Json(opts.outFile, opts.store);
  return { exitCode, thresholdsFailed: exitCode === 99, ingest };
}
