/** @module scenarios/executors: externally-controlled — removed in k6 v2.0.0; runs only with a real k6 v1 binary. */
import { CodeblueError } from '../../core/errors.js';
import type { ExecutorDefinition } from './context.js';

/** Why the embedded engine refuses scenario `scenario` (raised at setup, before any request). */
function refusal(scenario: string): CodeblueError {
  return new CodeblueError('CB_PLAN_INVALID', `scenario "${scenario}" uses the externally-controlled executor: it was removed in k6 v2.0.0 and runs only with a real k6 v1 binary, not in the embedded engine`, {
    hint: 'it is driven through k6 v1’s REST API (k6 scale/pause/resume); run this plan with --engine k6 and a k6 v1.x binary, or switch to ramping-vus',
  });
}

export const externallyControlled: ExecutorDefinition<'externally-controlled'> = {
  name: 'externally-controlled',
  refuse(scenario) {
    throw refusal(scenario);
  },
  run: (ctx) => Promise.reject(refusal(ctx.name)),
};
