/** @module cli: wires chaos's rollback guard to the process: roll back, then exit 130 (signal) or 3 (error). */
import { installRollbackGuard } from '../chaos/index.js';

/** Installs the guard; the process exits once the rollback is done. Returns `uninstall()`. */
export function installExitingRollbackGuard(rollback: () => Promise<void>): () => void {
  return installRollbackGuard(rollback, {
    onDone: (code, trigger, error) => {
      if (error !== undefined) process.stderr.write(`codeblue: ${trigger}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(code);
    },
  });
}
