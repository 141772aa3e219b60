/**
 * @module run: with `target.start`, the target's port must be free before anything starts — a stale or orphaned
 * process answering there would be taken for the target and drilled instead of it (issue #12 item 5, #13 item 2).
 */
import { connect, createServer } from 'node:net';
import { CodeblueError } from '../core/index.js';

/** How long a connect probe may take before the port counts as not served. */
const CONNECT_TIMEOUT_MS = 1000;

/** Throws CB_PORT_IN_USE (exit 3) when something holds or serves the port of `baseUrl`. */
export async function assertTargetPortFree(baseUrl: string): Promise<void> {
  const url = new URL(baseUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const held = (await canBind(host, port)) === false || (await answers(host, port));
  if (!held) return;
  throw new CodeblueError('CB_PORT_IN_USE', `port ${port} of target.baseUrl ${baseUrl} is already in use, but target.start is set: another process would be drilled instead of the target`, {
    hint: `stop the process on port ${port} (find it with \`lsof -i :${port}\` or \`ss -ltnp 'sport = :${port}'\`), or change target.baseUrl`,
  });
}

/** false when binding says the address is in use; undefined when binding cannot tell (not a local address, a privileged port). */
function canBind(host: string, port: number): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE' ? false : undefined));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** True when a TCP connection to host:port is accepted. */
function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
