/** @module scenarios/k6: a k6-operator `TestRun` (k6.io/v1alpha1) and the ConfigMap holding the script. */
import { stringify } from 'yaml';
import { CodeblueError } from '../../core/errors.js';
import { lastAppliedBytes } from './apply-size.js';

export interface OperatorOptions {
  /** Kubernetes object names derive from it (lowercase, dashes). */
  readonly name: string;
  readonly parallelism: number;
  readonly script: string;
  readonly scriptFile?: string;
  readonly namespace?: string;
  /** Where the runner pods send (checked by `checkOperatorBaseUrl`): passed as `-e BASE_URL=…`. */
  readonly baseUrl: string;
}

/** The manifests, and what `kubectl apply` would make of the ConfigMap. */
export interface OperatorManifests {
  /** `configmap.yaml` and `testrun.yaml`. */
  readonly files: Readonly<Record<string, string>>;
  readonly configMapName: string;
  readonly scriptFile: string;
  /** Bytes of the ConfigMap's last-applied annotation under client-side `kubectl apply` (see apply-size.ts). */
  readonly lastAppliedBytes: number;
}

/** A name Kubernetes accepts (RFC 1123 label, ≤ 63 chars). */
function k8sName(text: string): string {
  const n = text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50);
  return n === '' ? 'codeblue' : n;
}

/** `configmap.yaml` and `testrun.yaml`: the operator splits the run with --execution-segment per runner pod. */
export function operatorManifests(opts: OperatorOptions): OperatorManifests {
  if (Buffer.byteLength(opts.script) > 1_000_000) {
    throw new CodeblueError('CB_USAGE', `the script is ${Buffer.byteLength(opts.script)} bytes; a ConfigMap holds at most 1 MiB`, { hint: 'lower the synthetic pool size, or ship the script in a volumeClaim instead' });
  }
  const base = k8sName(`codeblue-${opts.name}`);
  const file = opts.scriptFile ?? 'script.ts';
  const meta = { name: `${base}-script`, ...(opts.namespace ? { namespace: opts.namespace } : {}), labels: { 'app.kubernetes.io/managed-by': 'codeblue' } };
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { [file]: opts.script } };
  const testRun = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: { name: base, ...(opts.namespace ? { namespace: opts.namespace } : {}), labels: { 'app.kubernetes.io/managed-by': 'codeblue' } },
    spec: {
      parallelism: opts.parallelism,
      script: { configMap: { name: meta.name, file } },
      arguments: `-e BASE_URL=${opts.baseUrl}`,
    },
  };
  return {
    files: { 'configmap.yaml': stringify(configMap, { lineWidth: 0 }), 'testrun.yaml': stringify(testRun) },
    configMapName: meta.name,
    scriptFile: file,
    lastAppliedBytes: lastAppliedBytes(configMap),
  };
}
