/** @module cli: waiting for Ctrl-C (SIGINT) or SIGTERM, the normal end of the long-running commands. */

/** Resolves on the first SIGINT or SIGTERM, then stops listening for both. */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
