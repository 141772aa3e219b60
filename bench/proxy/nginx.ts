/**
 * @module bench: a real nginx (one worker, not a daemon, temp config) as the proxy benchmark's upstream:
 * `GET /` answers a small JSON body, `GET /bulk` sends a file of `bulkBytes`. Started and stopped by its own pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pickPort } from '../../test/support/ports.js';

const NGINX_BIN = '/usr/sbin/nginx';

export interface Nginx {
  readonly port: number;
  stop(): Promise<void>;
}

function config(dir: string, port: number): string {
  return `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 10000000;
  keepalive_timeout 120s;
  server {
    listen 127.0.0.1:${port};
    root ${dir}/www;
    location = / { default_type application/json; return 200 '{"resourceType":"Patient","id":"1"}'; }
    location = /bulk { default_type application/octet-stream; }
  }
}
`;
}

async function waitListening(port: number, child: ChildProcess): Promise<boolean> {
  for (let i = 0; i < 200 && child.exitCode === null; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(true)); // taken: nginx holds it
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

/** Starts nginx on a free loopback port, serving `/bulk` of `bulkBytes` bytes. */
export async function startNginx(bulkBytes: number): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'codeblue-bench-nginx-'));
  const www = join(dir, 'www');
  mkdirSync(www);
  writeFileSync(join(www, 'bulk'), '');
  truncateSync(join(www, 'bulk'), bulkBytes);
  for (let attempt = 0; attempt < 5; attempt++) {
    // nginx binds the port itself (it cannot report one it chose): a lost race is retried below.
    const port = await pickPort();
    writeFileSync(join(dir, 'nginx.conf'), config(dir, port));
    const child = spawn(NGINX_BIN, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (await waitListening(port, child)) {
      return {
        port,
        stop: async () => {
          if (child.exitCode === null) {
            const exited = new Promise((r) => child.once('exit', r));
            child.kill('SIGTERM');
            await exited;
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    child.kill('SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error('nginx did not start on a free port (see its error.log above)');
}
