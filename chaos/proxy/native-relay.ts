/**
 * @module chaos/proxy: the optional native relay (native/relay.cc, built by `npm install` where a C++ compiler
 * exists) that moves the bytes of toxic-less TCP connections on one epoll thread. Without it, or with
 * `CODEBLUE_NATIVE_RELAY=off`, the JS relay in link.ts does the same job, slower.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';

interface Binding {
  start(onEnd: (id: number, reason: number, toClient: Buffer, toServer: Buffer) => void): void;
  attach(clientFd: number, serverFd: number, stats: Float64Array): number;
  detach(id: number): [Buffer, Buffer] | null;
  count(): number;
}

/** Bytes read but not yet written when a connection leaves the native relay, per destination. */
export interface InFlight {
  readonly toClient: Buffer;
  readonly toServer: Buffer;
}

export interface RelayedConnection {
  /** Bytes moved so far, updated by the relay thread: [upstream received, upstream sent, downstream received, downstream sent]. */
  readonly stats: Float64Array;
  /** Takes the connection back to JS; undefined when it already ended (its `onEnd` is on its way). */
  detach(): InFlight | undefined;
}

export interface NativeRelay {
  /**
   * Hands two connected, paused sockets (neither reading nor writing in JS) to the relay thread. `onEnd` runs once
   * when a side reached EOF or failed; the sockets are then JS's again, to be closed. Undefined when a socket has no fd.
   */
  attach(client: Socket, server: Socket, onEnd: (reason: 'eof' | 'error', inFlight: InFlight) => void): RelayedConnection | undefined;
  /** Connections the relay thread holds now. @internal for tests. */
  readonly size: number;
}

const ADDON = new URL('./native/build/Release/relay.node', import.meta.url);

let loaded: NativeRelay | null | undefined;

/** The process's native relay, or undefined when the addon was not built, cannot load, or is switched off. */
export function nativeRelay(): NativeRelay | undefined {
  if (loaded === undefined) loaded = process.env.CODEBLUE_NATIVE_RELAY === 'off' ? null : load();
  return loaded ?? undefined;
}

/** Whether the addon file is there (built at install). @internal for tests. */
export const nativeRelayBuilt = (): boolean => existsSync(ADDON);

function load(): NativeRelay | null {
  if (process.platform !== 'linux' || !existsSync(ADDON)) return null;
  let binding: Binding;
  try {
    binding = createRequire(import.meta.url)(ADDON.pathname) as Binding;
  } catch {
    return null; // built for another Node ABI, or a broken build: the JS relay still works
  }
  const pending = new Map<number, (reason: 'eof' | 'error', inFlight: InFlight) => void>();
  binding.start((id, reason, toClient, toServer) => {
    const onEnd = pending.get(id);
    pending.delete(id);
    onEnd?.(reason === 0 ? 'eof' : 'error', { toClient, toServer });
  });
  return {
    attach(client, server, onEnd) {
      const clientFd = fdOf(client);
      const serverFd = fdOf(server);
      if (clientFd === undefined || serverFd === undefined) return undefined;
      // Its own ArrayBuffer: an off-heap store the relay thread writes to, which the GC never moves.
      const stats = new Float64Array(new ArrayBuffer(4 * Float64Array.BYTES_PER_ELEMENT));
      const id = binding.attach(clientFd, serverFd, stats);
      pending.set(id, onEnd);
      return {
        stats,
        detach() {
          const left = binding.detach(id);
          if (!left) return undefined;
          pending.delete(id);
          return { toClient: left[0], toServer: left[1] };
        },
      };
    },
    get size() {
      return binding.count();
    },
  };
}

/** The OS descriptor under a connected net.Socket (libuv's TCP handle exposes it on Unix). */
function fdOf(socket: Socket): number | undefined {
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}
