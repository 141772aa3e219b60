/** @module demo/fhir-api: the outbox worker — stores async Observations and delivers queued ADT admits. */
import { SpanKind, trace } from '@opentelemetry/api';
import type { OutboxJob } from '../db/outbox.js';
import type { ResourceJson } from '../db/resource-store.js';
import { inTransaction } from '../db/transaction.js';
import type { ApiDeps } from './deps.js';
import type { AdmitInfo } from './ehr-messages.js';
import { patientIdOf } from './references.js';

const MAX_ATTEMPTS = 8;
const LEASE_MS = 30_000;
const tracer = trace.getTracer('fhir-api-outbox');

/** A running worker. */
export interface OutboxWorker {
  /** Processes due jobs once; returns how many were claimed (tests drive it directly). */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

async function handle(deps: ApiDeps, job: OutboxJob): Promise<void> {
  if (job.topic === 'observation.ingest') {
    const res = job.payload.resource as ResourceJson;
    // insert is idempotent on (type, id): a job re-run after a lost lease does not duplicate.
    await inTransaction(deps.pool, async (c) => {
      await deps.store.insert(c, res, patientIdOf(res));
      await deps.outbox.complete(c, job.id);
    });
    return;
  }
  if (job.topic === 'ehr.adt') {
    await deps.ehr.admit(job.payload as unknown as AdmitInfo);
    await deps.outbox.complete(deps.pool, job.id);
    return;
  }
  throw new Error(`unknown outbox topic "${job.topic}"`);
}

/** Starts polling every `intervalMs` (milliseconds) for due jobs, `batch` at a time. */
export function startOutboxWorker(deps: ApiDeps, intervalMs = 200, batch = 20): OutboxWorker {
  let running: Promise<number> | null = null;
  let stopped = false;
  const tick = async (): Promise<number> => {
    const jobs = await deps.outbox.claim(deps.pool, batch, LEASE_MS);
    await Promise.all(
      jobs.map((job) =>
        tracer.startActiveSpan(`outbox ${job.topic}`, { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'outbox', 'messaging.operation': 'process', 'outbox.attempt': job.attempts } }, async (span) => {
          try {
            await handle(deps, job);
          } catch (err) {
            const backoff = Math.min(30_000, 500 * 2 ** job.attempts) * (0.5 + Math.random() / 2);
            span.recordException(err as Error);
            await deps.outbox.fail(deps.pool, job.id, (err as Error).message, backoff, job.attempts >= MAX_ATTEMPTS).catch(() => undefined);
          } finally {
            span.end();
          }
        }),
      ),
    );
    return jobs.length;
  };
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = tick()
      .catch(() => 0) // database down: the next tick retries
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
