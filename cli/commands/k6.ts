/** @module cli: `codeblue k6 export <plan> -o <dir>` — the plan as a k6 script, optionally with a k6-operator TestRun. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { EXIT } from '../../core/index.js';
import { loadPlan } from '../../plan/index.js';
import { compileK6Script, operatorManifests, type ScenarioSpec } from '../../scenarios/index.js';
import type { RegisterCommand } from '../context.js';

interface ExportFlags {
  readonly out: string;
  readonly operator?: boolean;
  readonly parallelism: number;
  readonly namespace?: string;
}

function parseParallelism(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 1000) throw new InvalidArgumentError(`must be a whole number 1-1000, but is "${text}"`);
  return n;
}

export const registerK6: RegisterCommand = (program, ctx) => {
  const k6 = program.command('k6').description('work with real k6: export a plan as a k6 script (and a k6-operator TestRun)');
  k6.command('export')
    .description('write script.ts (k6 ≥ 1.0 runs TypeScript) with the same scenarios, flows, checks and thresholds')
    .argument('<plan>', 'path of the plan file (codeblue.yaml)')
    .requiredOption('-o, --out <dir>', 'folder to write into')
    .option('--operator', 'also write a k6-operator TestRun manifest and the ConfigMap holding the script')
    .option('--parallelism <n>', 'runner pods of the TestRun (with --operator)', parseParallelism, 1)
    .option('--namespace <ns>', 'Kubernetes namespace of the manifests (with --operator)')
    .action(async (file: string, flags: ExportFlags) => {
      const out = ctx.output();
      const plan = await loadPlan(file);
      const bundle = compileK6Script({ name: plan.name, target: plan.target, scenarios: plan.scenarios as Readonly<Record<string, ScenarioSpec>>, thresholds: plan.thresholds });
      const files: Record<string, string> = { ...bundle.files };
      if (flags.operator) {
        Object.assign(files, operatorManifests({ name: plan.name, parallelism: flags.parallelism, script: bundle.files['script.ts'] as string, baseUrl: plan.target.baseUrl, ...(flags.namespace ? { namespace: flags.namespace } : {}) }));
      }
      const dir = resolve(flags.out);
      await mkdir(dir, { recursive: true });
      for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
      if (out.json) out.out(JSON.stringify({ out: dir, files: Object.keys(files), skippedThresholds: bundle.skippedThresholds, embeddedOnlySteps: bundle.embeddedOnlySteps }));
      else {
        for (const name of Object.keys(files)) out.out(`   wrote  ${join(dir, name)}`);
        for (const key of bundle.skippedThresholds) out.out(`    note  threshold ${key} left out: k6 has no such metric (codeblue-only)`);
        for (const step of bundle.embeddedOnlySteps) out.out(` warning  ${step} is an MLLP step: embedded-only, k6 cannot send it (run the plan with codeblue load/run)`);
        out.out(`\n   run it: k6 run -e BASE_URL=${plan.target.baseUrl} ${join(dir, 'script.ts')}${flags.operator ? `   or: kubectl apply -f ${join(dir, 'configmap.yaml')} -f ${join(dir, 'testrun.yaml')}` : ''}`);
      }
      ctx.setExitCode(EXIT.ok);
    });
};
