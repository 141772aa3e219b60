/** @module cli: `chaos apply` / `clear`: one plan fault on or everything off, through toxiproxy-node-client. */
import { clientFor, resetLeftovers, runPrefix, type RollbackResult } from '../../chaos/index.js';
import { CodeblueError } from '../../core/index.js';
import type { Plan } from '../../plan/index.js';

const PREFIX = runPrefix('manual');

export interface AppliedFault {
  readonly fault: string;
  readonly proxy: string;
  readonly type: string;
}

/** Creates the fault's proxy (`cb-manual-<name>`) when missing and switches the fault on. */
export async function applyManualFault(server: string, plan: Plan, which: string): Promise<AppliedFault> {
  const index = /^\d+$/.test(which) ? Number(which) - 1 : plan.faults.findIndex((f) => f.name === which);
  const fault = plan.faults[index];
  if (!fault) {
    const names = plan.faults.map((f, i) => `${i + 1}:${f.name}`).join(', ') || 'none';
    throw new CodeblueError('CB_USAGE', `--fault ${which} matches no fault of the plan (faults: ${names})`);
  }
  const spec = plan.proxies.find((p) => p.name === fault.proxy);
  if (!spec) throw new CodeblueError('CB_PLAN_INVALID', `fault ${fault.name} names proxy ${fault.proxy}, which the plan does not define`);
  const client = clientFor(server);
  const name = PREFIX + spec.name;
  try {
    const existing = Object.keys(await client.getAll()).includes(name);
    const body = { name, listen: spec.listen, upstream: spec.upstream, enabled: true, ...(spec.protocol === 'http' ? { protocol: 'http' } : {}) };
    const proxy = existing ? await client.get(name) : await client.createProxy(body);
    if (fault.toxic === 'down') await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    else {
      const toxic = { name: PREFIX + fault.name, type: fault.toxic, stream: fault.stream, toxicity: fault.toxicity, attributes: fault.attributes };
      await proxy.addToxic(toxic as Parameters<typeof proxy.addToxic>[0]);
    }
    return { fault: fault.name, proxy: name, type: fault.toxic };
  } catch (err) {
    throw new CodeblueError('CB_CHAOS_API', `applying fault ${fault.name} on ${server}: ${err instanceof Error ? err.message : String(err)}`, {
      hint: 'is the fault already on? `codeblue chaos clear` first; is the server running? `codeblue chaos serve`',
      cause: err,
    });
  }
}

/** Removes every `cb-manual-…` proxy (their toxics go with them). */
export function clearManual(server: string): Promise<RollbackResult> {
  return resetLeftovers(clientFor(server), server, { prefix: PREFIX, all: false });
}
