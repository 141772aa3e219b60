#!/usr/bin/env node
// `npm install` builds codeblue's optional native relay (chaos/proxy/native, Linux): toxic-less proxy connections
// then move off the JS thread. It never fails the install: without a C++ compiler, Node headers or Linux, codeblue
// uses its JS relay (same behaviour, lower throughput; see chaos/README.md, "Native relay"). CODEBLUE_NATIVE_RELAY=off skips it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../chaos/proxy/native/', import.meta.url));

if (process.platform !== 'linux' || process.env.CODEBLUE_NATIVE_RELAY === 'off') process.exit(0);
// npm names its own node-gyp in lifecycle scripts; otherwise the one on PATH.
const gyp = process.env.npm_config_node_gyp;
const [cmd, args] = gyp ? [process.execPath, [gyp]] : ['node-gyp', []];
const result = spawnSync(cmd, [...args, 'rebuild', '--directory', DIR], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (result.status !== 0) {
  const why = result.error ? result.error.message : (result.stderr.split('\n').find((l) => /error/i.test(l)) ?? `exit ${result.status}`);
  process.stderr.write(`codeblue: native relay not built (${why.trim()}); the chaos proxy uses its JS relay\n`);
}
