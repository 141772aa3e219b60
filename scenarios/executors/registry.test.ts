import { describe, expect, it } from 'vitest';
import { CodeblueError } from '../../core/errors.js';
import { EXECUTORS, scenarioSchema } from '../schema.js';
import { constantVus } from './constant-vus.js';
import { EXECUTORS_BY_NAME, refuseUnrunnable, type ExecutorRegistry } from './registry.js';
import { rampingVus } from './ramping-vus.js';

const steps = [{ name: 'health', request: { path: '/health' } }];

describe('executor registry', () => {
  it('holds one definition per k6 executor name, filed under its own name', () => {
    expect(Object.keys(EXECUTORS_BY_NAME).sort()).toEqual([...EXECUTORS].sort());
    for (const name of EXECUTORS) expect(EXECUTORS_BY_NAME[name].name).toBe(name);
  });

  it('refuses externally-controlled at setup with a typed error naming the scenario, and lets the others through', () => {
    const refused = (): void => refuseUnrunnable('legacy', scenarioSchema.parse({ executor: 'externally-controlled', duration: '1s', steps }));
    expect(refused).toThrow(CodeblueError);
    expect(refused).toThrow(/scenario "legacy" uses the externally-controlled executor/);
    expect(() => refuseUnrunnable('soak', scenarioSchema.parse({ executor: 'constant-vus', duration: '1s', steps }))).not.toThrow();
  });

  it('does not compile when a name is filed with another executor’s definition', () => {
    // Checked by `tsc --noEmit` (the suite's first step): each line below must be a type error.
    // @ts-expect-error ramping-vus's definition takes a ramping-vus spec, not a constant-vus one
    const swapped: ExecutorRegistry = { ...EXECUTORS_BY_NAME, 'constant-vus': rampingVus };
    // @ts-expect-error every executor name needs its definition
    const missing: ExecutorRegistry = { ...EXECUTORS_BY_NAME, 'ramping-vus': undefined };
    expect(swapped['constant-vus']).toBe(rampingVus);
    expect(missing['ramping-vus']).toBeUndefined();
    expect(EXECUTORS_BY_NAME['constant-vus']).toBe(constantVus);
  });
});
