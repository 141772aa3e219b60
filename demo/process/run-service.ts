/** @module demo/process: lifecycle of one demo process — start, report ready over IPC, stop cleanly on signals. */
import { DemoUsageError } from '../config/flags.js';

/** A started service. */
export interface RunningService {
  /** Facts for the supervisor (ports, urls), sent over IPC and printed to stderr. */
  readonly info: Readonly<Record<string, string | number>>;
  stop(): Promise<void>;
}

/** Flushes telemetry; `startTelemetry` returns one. */
export interface TelemetryHandle {
  shutdown(): Promise<void>;
}

function withCap<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([p, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms).unref())]);
}

function startupExitCode(err: unknown): number {
  if (err instanceof DemoUsageError) return 2;
  return 3;
}

function describeStartupError(name: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException & { hint?: string };
  const hint = e.hint ?? (e.code === 'EADDRINUSE' ? 'another process holds this port: stop it or pass a different port flag' : undefined);
  return `${name}: cannot start: ${e.message}${hint ? `\n  hint: ${hint}` : ''}`;
}

/**
 * Runs a service until SIGINT, SIGTERM or the supervisor's IPC channel closes (so a killed
 * supervisor leaves no orphan), then stops it and flushes telemetry, exiting 0.
 */
export async function runService(name: string, telemetry: TelemetryHandle, start: () => Promise<RunningService>): Promise<void> {
  let service: RunningService;
  try {
    service = await start();
  } catch (err) {
    process.stderr.write(`${describeStartupError(name, err)}\n`);
    await withCap(telemetry.shutdown(), 1000);
    process.exit(startupExitCode(err));
  }
  let stopping = false;
  const stop = async (why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${name}: stopping (${why})\n`);
    try {
      await withCap(service.stop(), 5000);
    } catch (err) {
      process.stderr.write(`${name}: error while stopping: ${(err as Error).message}\n`);
    }
    await withCap(telemetry.shutdown(), 2000).catch(() => undefined);
    process.exit(0);
  };
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('disconnect', () => void stop('supervisor gone'));
  process.stderr.write(`${name}: ready ${JSON.stringify(service.info)}\n`);
  process.send?.({ type: 'ready', service: name, info: service.info });
}
