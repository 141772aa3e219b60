/**
 * @module chaos: runs a rollback when the process is interrupted (SIGINT, SIGTERM) or fails (uncaught exception,
 * unhandled rejection), then reports the exit code to use. Exiting is the CLI's job (`onDone`).
 */

export type GuardTrigger = 'SIGINT' | 'SIGTERM' | 'uncaughtException' | 'unhandledRejection';

export interface RollbackGuardOptions {
  /** Called once the rollback finished (or failed): 130 for signals, 3 for errors. */
  readonly onDone: (exitCode: 130 | 3, trigger: GuardTrigger, error?: unknown) => void;
  /** Gives up waiting for the rollback after this long (a hung chaos server must not keep the process alive). Default 15 s. */
  readonly timeoutMs?: number;
}

/**
 * Installs the listeners; returns `uninstall()`. A second signal while the rollback runs is ignored, so a
 * double Ctrl-C cannot cut the rollback short.
 * @example const uninstall = installRollbackGuard(() => timeline.rollback().then(() => undefined), { onDone: (code) => process.exit(code) })
 */
export function installRollbackGuard(rollback: () => Promise<void>, options: RollbackGuardOptions): () => void {
  let running = false;
  const fire = (trigger: GuardTrigger, error?: unknown): void => {
    if (running) return;
    running = true;
    const code = trigger === 'SIGINT' || trigger === 'SIGTERM' ? 130 : 3;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('rollback did not finish in time; run `codeblue chaos reset`')), options.timeoutMs ?? 15_000);
    });
    void Promise.race([rollback(), timedOut]).then(
      () => options.onDone(code, trigger, error),
      (rollbackError: unknown) => options.onDone(code, trigger, error ?? rollbackError),
    ).finally(() => clearTimeout(timer));
  };
  const onSigint = (): void => fire('SIGINT');
  const onSigterm = (): void => fire('SIGTERM');
  const onException = (err: unknown): void => fire('uncaughtException', err);
  const onRejection = (err: unknown): void => fire('unhandledRejection', err);
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
