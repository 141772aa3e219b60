/**
 * @module test/e2e: the guard table's body, run as a child process — inside a network namespace with only loopback
 * and a trap address (CB_TRAP_NETNS=1) by net-guard-table.test.ts, or on the host's loopback as a fallback.
 * Every form of the issue is tried, at the plan/CLI level (what a user runs) and at connect time (the layer that
 * catches DNS rebinding and bypassed pre-checks); it prints one JSON line per form and the trap's connection count.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientFor, ProxyMetrics, ToxicProxy } from '../../chaos/index.js';
import { startCollectors } from '../../collectors/index.js';
import { createNetGuard, LOOPBACK_ONLY, type RequestSample, type Resolver } from '../../core/index.js';
import { parsePlan } from '../../plan/index.js';
import { checkHypothesis, checkPlanNetwork, verifyLedger, waitForHealth } from '../../run/index.js';
import { runLoad } from '../../scenarios/index.js';

const IN_NETNS = process.env.CB_TRAP_NETNS === '1';
/** In the namespace: an address on a dummy interface that only exists there. Outside: 0.0.0.0, which never leaves the host. */
const TRAP = process.env.CB_TRAP_HOST ?? (IN_NETNS ? '10.255.0.1' : '0.0.0.0');
const BIN = new URL('../../bin/codeblue.js', import.meta.url).pathname;

export interface Row {
  readonly form: string;
  readonly layer: 'plan/cli' | 'connect-time';
  readonly refused: boolean;
  readonly detail: string;
}

let trapConnections = 0;
const rows: Row[] = [];

async function listen(server: Server | ReturnType<typeof createHttpServer>, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** Answers `first` on the first lookup and `then` after it: a name that rebinds between check and connect. */
function rebinding(first: string, then: string, loopbackAnswers = 1): Resolver {
  let calls = 0;
  return async () => [calls++ < loopbackAnswers ? first : then];
}

async function row(form: string, layer: Row['layer'], attempt: () => Promise<string | undefined>): Promise<void> {
  try {
    const refusal = await attempt();
    rows.push({ form, layer, refused: refusal !== undefined, detail: refusal ?? 'NOT REFUSED' });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    rows.push({ form, layer, refused: e.code === 'CB_TARGET_NOT_ALLOWED' || e.code === 'CB_PLAN_INVALID', detail: `${e.code ?? ''} ${e.message ?? String(err)}` });
  }
}

/** `codeblue <args>` in `cwd`: the refusal text when it exits 2 with a refusal, else undefined. */
function cli(args: readonly string[], cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const refused = code === 2 && /CB_TARGET_NOT_ALLOWED|CB_PLAN_INVALID/.test(out);
      resolve(refused ? out.trim().split('\n').slice(0, 2).join(' ') : undefined);
    });
  });
}

async function main(): Promise<void> {
  const trap = createServer((socket) => {
    trapConnections++;
    socket.destroy();
  });
  // Outside the namespace there is no trap address: the port comes from loopback and nothing can be counted.
  const port = IN_NETNS ? await listen(trap, TRAP, 0) : await listen(trap, '127.0.0.1', 0);
  const decoy = createHttpServer((_req, res) => res.end('decoy'));
  // The same port on loopback: a rebinding name passes the check here, then must not reach TRAP:port.
  if (IN_NETNS) await listen(decoy, '127.0.0.1', port);
  const decoyPort = IN_NETNS ? port : await listen(decoy, '127.0.0.1', 0);
  const remote = `${TRAP.includes(':') ? `[${TRAP}]` : TRAP}:${IN_NETNS ? port : decoyPort}`;
  const dir = mkdtempSync(join(tmpdir(), 'cb-guard-table-'));
  try {
    await planForms(remote, decoyPort, dir);
    await connectTimeForms(remote, decoyPort);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    decoy.close();
    trap.close();
  }
  process.stdout.write(`${JSON.stringify({ rows, trapConnections, inNetns: IN_NETNS, trap: TRAP })}\n`);
}

/** The plan entries and CLI flags, each through `codeblue run` / `collect` / `chaos serve` as a user would. */
async function planForms(remote: string, decoyPort: number, dir: string): Promise<void> {
  const loopback = `http://127.0.0.1:${decoyPort}`;
  const plan = (o: { baseUrl?: string; health?: string; extra?: string }): string => `name: guard-table
target: { baseUrl: "${o.baseUrl ?? loopback}"${o.health ? `, health: "${o.health}"` : ''} }
scenarios:
  s: { executor: shared-iterations, vus: 1, iterations: 1, maxDuration: 2s, steps: [ { name: r, request: { method: GET, path: / } } ] }
${o.extra ?? ''}
`;
  const forms: [string, string][] = [
    ['target.baseUrl remote', plan({ baseUrl: `http://${remote}` })],
    ['chaos.server remote', plan({ extra: `chaos: { server: "http://${remote}" }` })],
    ['collectors.forward remote', plan({ extra: `collectors: { forward: "http://${remote}" }` })],
    ['target.health //host/path', plan({ health: `//${remote}/health` })],
    ['hypothesis request.path //host/p', plan({ extra: `hypothesis: [ { name: p, request: { method: GET, path: "//${remote}/p" } } ]` })],
    ['proxies[].upstream remote', plan({ extra: `proxies: [ { name: ehr, listen: "127.0.0.1:0", upstream: "${remote}" } ]` })],
    ['proxies[].listen 0.0.0.0', plan({ extra: `proxies: [ { name: ehr, listen: "0.0.0.0:0", upstream: "127.0.0.1:${decoyPort}" } ]` })],
    ['chaos.listen 0.0.0.0', plan({ extra: 'chaos: { listen: "0.0.0.0:0" }' })],
    ['collectors.otlpListen 0.0.0.0', plan({ extra: 'collectors: { otlpListen: "0.0.0.0:0" }' })],
    ['collectors.otlpGrpcListen 0.0.0.0', plan({ extra: 'collectors: { otlpListen: "127.0.0.1:0", otlpGrpcListen: "0.0.0.0:0" }' })],
    ['collectors.metricsListen 0.0.0.0', plan({ extra: 'collectors: { metricsListen: "0.0.0.0:0" }' })],
  ];
  const runs: [string, string[]][] = forms.map(([form, text], i) => {
    const file = join(dir, `plan-${i}.yaml`);
    writeFileSync(file, text);
    return [form, ['run', file, '--json']];
  });
  runs.push(['collect --host 0.0.0.0', ['collect', '--host', '0.0.0.0', '--port', '0', '--out', join(dir, 'collect')]]);
  runs.push([`collect --forward http://${remote}`, ['collect', '--port', '0', '--forward', `http://${remote}`, '--out', join(dir, 'collect')]]);
  runs.push(['chaos serve --host 0.0.0.0', ['chaos', 'serve', '--host', '0.0.0.0', '--port', '0']]);
  if (IN_NETNS) runs.push([`chaos serve --host ${TRAP}`, ['chaos', 'serve', '--host', TRAP, '--port', '0']]);
  // Three CLI processes at a time (each is mostly tsx start-up); rows keep the table's order.
  const results = new Array<Row | undefined>(runs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < runs.length; i = next++) {
      const [form, args] = runs[i] as [string, string[]];
      const refusal = await cli(args, dir);
      results[i] = { form, layer: 'plan/cli', refused: refusal !== undefined, detail: refusal ?? 'NOT REFUSED' };
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  for (const r of results) if (r) rows.push(r);
}

/** Past the pre-checks: each component's own connections, including names that rebind after being checked. */
async function connectTimeForms(remote: string, decoyPort: number): Promise<void> {
  const loopbackBase = `http://127.0.0.1:${decoyPort}`;
  const trapHost = TRAP;
  const rebindPort = remote.slice(remote.lastIndexOf(':') + 1);
  await row('chaos client → remote chaos.server', 'connect-time', async () => {
    await clientFor(`http://${remote}`).createProxy({ name: 'cb-guard', listen: '127.0.0.1:0', upstream: `127.0.0.1:${decoyPort}` });
    return undefined;
  });
  await row('chaos client → chaos.server name that rebinds', 'connect-time', async () => {
    const guard = createNetGuard({ policy: LOOPBACK_ONLY, planKey: 'chaos.server', resolve: rebinding('127.0.0.1', trapHost) });
    await guard.assertAllowed(`http://chaos.rebind.test:${rebindPort}`);
    await clientFor(`http://chaos.rebind.test:${rebindPort}`, guard).getAll();
    return undefined;
  });
  await row('OTLP forwarder → remote collectors.forward', 'connect-time', async () => {
    const collectors = await startCollectors({ runId: 'guard', host: '127.0.0.1', port: 0, forwardUrl: `http://${remote}` });
    const res = await fetch(`${collectors.receiver.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceSpans":[]}' });
    await res.arrayBuffer();
    const stats = await pollForward(collectors);
    await collectors.close();
    return stats.refused >= 1 && stats.forwarded === 0 ? `refused ${stats.refused}: ${stats.lastRefusal ?? ''}` : undefined;
  });
  await row('health wait → //host in target.health', 'connect-time', async () => {
    await waitForHealth({ url: new URL(`//${remote}/health`, loopbackBase).href, anyAnswer: false, timeoutMs: 3000 });
    return undefined;
  });
  await row('hypothesis probe → //host/p', 'connect-time', async () => {
    const [r] = await checkHypothesis([{ name: 'p', request: { method: 'GET', path: `//${remote}/p`, timeout: 2000 }, expect: { status: 200 }, tries: 1 } as never], loopbackBase, 'before');
    return r?.refused === true ? r.message : undefined;
  });
  await row('hypothesis probe → baseUrl name that rebinds', 'connect-time', async () => {
    const guard = createNetGuard({ policy: LOOPBACK_ONLY, resolve: rebinding('127.0.0.1', trapHost, 0) });
    const [r] = await checkHypothesis([{ name: 'p', request: { method: 'GET', path: '/p', timeout: 2000 }, expect: { status: 200 }, tries: 1 } as never], `http://api.rebind.test:${rebindPort}`, 'before', undefined, guard);
    return r?.refused === true ? r.message : undefined;
  });
  await row('ledger read-back → saved Location on a remote host', 'connect-time', async () => {
    const result = await verifyLedger([{ at: 0, scenario: 's', resourceType: 'Patient', id: '1', readPath: `http://${remote}/fhir/Patient/1`, keyFields: {} }], loopbackBase);
    const p = result.unreadable[0];
    return p?.detail.startsWith('refused') ? p.detail : undefined;
  });
  await row('ledger read-back → baseUrl name that rebinds', 'connect-time', async () => {
    const guard = createNetGuard({ policy: LOOPBACK_ONLY, resolve: rebinding('127.0.0.1', trapHost, 0) });
    const result = await verifyLedger([{ at: 0, scenario: 's', resourceType: 'Patient', id: '1', readPath: '/fhir/Patient/1', keyFields: {} }], `http://api.rebind.test:${rebindPort}`, 1, 1, guard);
    const p = result.unreadable[0];
    return p?.detail.startsWith('refused') ? p.detail : undefined;
  });
  await row('load engine → target.baseUrl name that rebinds (DNS rebinding)', 'connect-time', async () => {
    // Two loopback answers: the pre-check and the preflight TCP connect (to the decoy); every VU connection after rebinds.
    const guard = createNetGuard({ policy: LOOPBACK_ONLY, planKey: 'target.baseUrl', resolve: rebinding('127.0.0.1', trapHost, 2) });
    const plan = parsePlan(`name: rebind
target: { baseUrl: "http://api.rebind.test:${rebindPort}" }
scenarios:
  s: { executor: shared-iterations, vus: 1, iterations: 3, maxDuration: 5s, steps: [ { name: r, request: { method: GET, path: / } } ] }
`);
    const seen: RequestSample[] = [];
    await runLoad({ baseUrl: plan.target.baseUrl, scenarios: plan.scenarios, safety: plan.safety, guard, samples: { add: (x) => seen.push(x) } });
    const refused = seen.filter((x) => x.errorCode === 'CB_TARGET_NOT_ALLOWED');
    return refused.length === seen.length && seen.length === 3 ? `${refused.length}/3 requests failed with CB_TARGET_NOT_ALLOWED at connect time (api.rebind.test answered ${trapHost} after the checks)` : undefined;
  });
  for (const protocol of ['tcp', 'http'] as const) {
    await row(`chaos proxy (${protocol}) → upstream name that rebinds`, 'connect-time', () => proxyRebind(protocol, rebindPort));
  }
  await row('run pre-check → upstream name that rebinds passes, then the dial is refused (above)', 'connect-time', async () => {
    const plan = parsePlan(`name: p
target: { baseUrl: "${loopbackBase}" }
proxies: [ { name: ehr, listen: "127.0.0.1:0", upstream: "up.rebind.test:${rebindPort}" } ]
scenarios:
  s: { executor: shared-iterations, vus: 1, iterations: 1, maxDuration: 2s, steps: [ { name: r, request: { method: GET, path: / } } ] }
`);
    const guard = await checkPlanNetwork(plan, LOOPBACK_ONLY, rebinding('127.0.0.1', trapHost, 1));
    const socket = guard.withKey('proxies[0].upstream').connect(`up.rebind.test`, Number(rebindPort));
    return new Promise((resolve) => {
      socket.once('connect', () => { socket.destroy(); resolve(undefined); });
      socket.once('error', (err: Error & { code?: string }) => resolve(err.code === 'CB_TARGET_NOT_ALLOWED' ? err.message : undefined));
    });
  });
}

async function pollForward(collectors: Awaited<ReturnType<typeof startCollectors>>): Promise<{ forwarded: number; refused: number; lastRefusal?: string }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const f = collectors.receiver.stats().forward;
    if ((f && (f.refused > 0 || f.forwarded > 0 || f.failed > 0)) || Date.now() > deadline) return { forwarded: f?.forwarded ?? 0, refused: f?.refused ?? 0, ...(f?.lastRefusal ? { lastRefusal: f.lastRefusal } : {}) };
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A proxy whose upstream name answered loopback when checked, then the trap when dialled: the client is cut off. */
async function proxyRebind(protocol: 'tcp' | 'http', port: string): Promise<string | undefined> {
  let lookups = 0;
  const guard = createNetGuard({ policy: LOOPBACK_ONLY, resolve: async () => [lookups++ === 0 ? '127.0.0.1' : TRAP] });
  await guard.withKey('proxies[0].upstream').assertAllowed(`up.rebind.test:${port}`);
  const proxy = new ToxicProxy('cb-guard', { listen: '127.0.0.1:0', upstream: `up.rebind.test:${port}` }, protocol, { random: Math.random, metrics: new ProxyMetrics(), guard });
  await proxy.start();
  try {
    const answer = await new Promise<string>((done) => {
      const c: Socket = connectTo(proxy.listen);
      let got = '';
      c.on('data', (b: Buffer) => (got += b.toString()));
      c.once('connect', () => c.write('GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'));
      c.once('close', () => done(got));
      c.once('error', () => done(got));
      setTimeout(() => c.destroy(), 5000).unref();
    });
    // tcp: the client is closed with nothing; http: the bridge answers 502 itself. The dial resolved to the trap and was refused.
    const cutOff = protocol === 'tcp' ? answer === '' : /^HTTP\/1\.1 502/.test(answer);
    return cutOff && lookups >= 2 ? `upstream dial #${lookups - 1} resolved up.rebind.test to ${TRAP}: refused, client ${protocol === 'tcp' ? 'closed' : 'answered 502'}` : undefined;
  } finally {
    await proxy.dispose();
  }
}

function connectTo(listen: string): Socket {
  const i = listen.lastIndexOf(':');
  return connect(Number(listen.slice(i + 1)), listen.slice(0, i).replace(/^\[|\]$/g, ''));
}

await main();
