/** @module cli: `codeblue k6 export <plan> -o <dir>` — the plan as a k6 script, optionally with a k6-operator TestRun. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { CodeblueError, EXIT } from '../../core/index.js';
import { loadPlan, type Plan } from '../../plan/index.js';
import { ANNOTATION_LIMIT_BYTES, checkOperatorBaseUrl, compileK6Script, operatorManifests, type OperatorManifests, type ScenarioSpec } from '../../scenarios/index.js';
import type { RegisterCommand } from '../context.js';

interface ExportFlags {
  readonly out: string;
  readonly operator?: boolean;
  readonly parallelism: number;
  readonly namespace?: string;
  readonly baseUrl?: string;
  readonly allowRemote?: boolean;
}

function parseParallelism(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 1000) throw new InvalidArgumentError(`must be a whole number 1-1000, but is "${text}"`);
  return n;
}

/** The URL the runner pods send to: --base-url, else the plan's own target when it is not loopback. */
function operatorBaseUrl(plan: Plan, flags: ExportFlags): string {
  const policy = { allowHosts: plan.safety.allowHosts, allowRemote: flags.allowRemote === true };
  return flags.baseUrl === undefined ? checkOperatorBaseUrl(plan.target.baseUrl, policy, 'target.baseUrl') : checkOperatorBaseUrl(flags.baseUrl, policy);
}

/** How to load a ConfigMap too big for client-side `kubectl apply` (neither command writes the annotation). */
function bigConfigMapCommands(m: OperatorManifests, dir: string, namespace: string | undefined): readonly string[] {
  const ns = namespace ? ` -n ${namespace}` : '';
  return [
    `kubectl create configmap ${m.configMapName}${ns} --from-file=${m.scriptFile}=${join(dir, m.scriptFile)} && kubectl apply -f ${join(dir, 'testrun.yaml')}`,
    `kubectl apply --server-side -f ${join(dir, 'configmap.yaml')} -f ${join(dir, 'testrun.yaml')}`,
  ];
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
    .option('--base-url <url>', 'where the runner pods reach the target, e.g. http://ehr.ward.svc:8080 (with --operator; the host must be in safety.allowHosts)')
    .option('--allow-remote', 'allow a non-loopback --base-url listed in safety.allowHosts')
    .action(async (file: string, flags: ExportFlags) => {
      const out = ctx.output();
      if (flags.baseUrl !== undefined && !flags.operator) throw new CodeblueError('CB_USAGE', '--base-url is for the runner pods of --operator', { hint: 'add --operator, or run the script with k6 run -e BASE_URL=<url>' });
      const plan = await loadPlan(file);
      const baseUrl = flags.operator ? operatorBaseUrl(plan, flags) : plan.target.baseUrl;
      const bundle = compileK6Script({ name: plan.name, target: { baseUrl }, scenarios: plan.scenarios as Readonly<Record<string, ScenarioSpec>>, thresholds: plan.thresholds });
      const files: Record<string, string> = { ...bundle.files };
      const manifests = flags.operator
        ? operatorManifests({ name: plan.name, parallelism: flags.parallelism, script: bundle.files['script.ts'] as string, baseUrl, ...(flags.namespace ? { namespace: flags.namespace } : {}) })
        : undefined;
      if (manifests) Object.assign(files, manifests.files);
      const dir = resolve(flags.out);
      await mkdir(dir, { recursive: true });
      for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
      const tooBig = manifests !== undefined && manifests.lastAppliedBytes > ANNOTATION_LIMIT_BYTES;
      const applyWith = manifests === undefined ? [] : tooBig ? bigConfigMapCommands(manifests, dir, flags.namespace) : [`kubectl apply -f ${join(dir, 'configmap.yaml')} -f ${join(dir, 'testrun.yaml')}`];
      if (out.json) {
        const configMap = manifests && { name: manifests.configMapName, lastAppliedBytes: manifests.lastAppliedBytes, fitsClientSideApply: !tooBig, applyWith };
        out.out(JSON.stringify({ out: dir, files: Object.keys(files), skippedThresholds: bundle.skippedThresholds, embeddedOnlySteps: bundle.embeddedOnlySteps, ...(configMap ? { baseUrl, configMap } : {}) }));
        ctx.setExitCode(EXIT.ok);
        return;
      }
      for (const name of Object.keys(files)) out.out(`   wrote  ${join(dir, name)}`);
      for (const key of bundle.skippedThresholds) out.out(`    note  threshold ${key} left out: k6 has no such metric (codeblue-only)`);
      for (const step of bundle.embeddedOnlySteps) out.out(` warning  ${step} is an MLLP step: embedded-only, k6 cannot send it (run the plan with codeblue load/run)`);
      if (manifests && tooBig) {
        out.err(`    warn  configmap.yaml needs a ${manifests.lastAppliedBytes}-byte last-applied annotation under \`kubectl apply\`; the API server refuses more than ${ANNOTATION_LIMIT_BYTES}`);
        out.err('    hint  load it without that annotation (lower the synthetic pool size to shrink the script):');
      }
      out.out(`\n   run it: k6 run -e BASE_URL=${baseUrl} ${join(dir, 'script.ts')}`);
      for (const command of applyWith) out.out(`       or: ${command}`);
      ctx.setExitCode(EXIT.ok);
    });
};
