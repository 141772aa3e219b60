#!/usr/bin/env node
// `npm install` builds codeblue's optional native addons (Linux), and never fails the install for them:
// - the relay (chaos/proxy/native): toxic-less proxy connections move off the JS thread. Without it codeblue uses its
//   JS relay (same behaviour, lower throughput; see chaos/README.md, "Native relay"). CODEBLUE_NATIVE_RELAY=off skips it.
// - the malloc policy (bin/native, bin/malloc-policy.js): fewer glibc arenas and free pages given back on long runs.
//   Without it glibc's defaults apply (more RSS on a soak, same results).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ADDONS = [
  { dir: '../chaos/proxy/native/', skip: process.env.CODEBLUE_NATIVE_RELAY === 'off', failed: 'native relay not built', fallback: 'the chaos proxy uses its JS relay' },
  { dir: './native/', skip: false, failed: 'malloc policy not built', fallback: "glibc's defaults apply" },
];

if (process.platform !== 'linux') process.exit(0);
// npm names its own node-gyp in lifecycle scripts; otherwise the one on PATH.
const gyp = process.env.npm_config_node_gyp;
const [cmd, args] = gyp ? [process.execPath, [gyp]] : ['node-gyp', []];
for (const addon of ADDONS.filter((a) => !a.skip)) {
  const dir = fileURLToPath(new URL(addon.dir, import.meta.url));
  const result = spawnSync(cmd, [...args, 'rebuild', '--directory', dir], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) {
    const why = result.error ? result.error.message : (result.stderr.split('\n').find((l) => /error/i.test(l)) ?? `exit ${result.status}`);
    process.stderr.write(`codeblue: ${addon.failed} (${why.trim()}); ${addon.fallback}\n`);
  }
}
