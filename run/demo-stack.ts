/** @module run: the environment codeblue gives the target's `target.start` command (OTLP endpoint, the packaged demo stack). */
import { fileURLToPath } from 'node:url';

/** The demo stack's entry file inside the installed package (not the working directory). */
const DEMO_STACK_SCRIPT = fileURLToPath(new URL('../demo/stack.ts', import.meta.url));

/**
 * The full command line that starts the packaged demo stack with this node and the package's own tsx,
 * so a plan's `target.start: $CODEBLUE_DEMO_STACK --ehr-link …` works from any folder, in a clone or a global install.
 * @example demoStackCommand() // "/usr/bin/node --import file:///…/node_modules/tsx/dist/loader.mjs /…/codeblue/demo/stack.ts"
 */
export function demoStackCommand(): string {
  const tsx = import.meta.resolve('tsx');
  // Plain words: the shell splits the unquoted variable on spaces (quotes inside it would not be removed).
  return [process.execPath, '--import', tsx, DEMO_STACK_SCRIPT].join(' ');
}

/**
 * Variables codeblue adds to the target's environment (the plan's `target.env` wins over them):
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (the run's OTLP/HTTP receiver) and `CODEBLUE_DEMO_STACK` (see {@link demoStackCommand}).
 */
export function targetEnvironment(otlpEndpoint: string): Record<string, string> {
  return { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint, CODEBLUE_DEMO_STACK: demoStackCommand() };
}
