/**
 * @module scenarios/engine: k6's `http_req_connecting` and `http_req_tls_handshaking`, measured around undici's
 * connector — the only place a new socket's TCP connect and TLS handshake can be seen from outside undici.
 */
import type { Socket } from 'node:net';
import { buildConnector } from 'undici';

/** Time a new connection took, ms: TCP connect (with any DNS lookup) and TLS handshake (0 on plain HTTP). */
export interface ConnectTiming {
  readonly connecting: number;
  readonly tlsHandshaking: number;
}

const REUSED: ConnectTiming = Object.freeze({ connecting: 0, tlsHandshaking: 0 });

/**
 * Wraps a connector so the connections it opens are timed. The next request written after a connection opened
 * takes its timing (`take()`); a request on a kept-alive connection takes zeros, as in k6. With one connection
 * per dispatcher (a VU's client) the timing lands on the request that opened it; a shared pool hands each new
 * connection's timing to the next request written on any of its connections.
 */
export class TimedConnector {
  readonly connector: buildConnector.connector;
  private pending: ConnectTiming[] = [];

  constructor(inner: buildConnector.connector | undefined, connectTimeoutMs: number) {
    const base = inner ?? buildConnector({ timeout: connectTimeoutMs });
    this.connector = (opts, callback) => {
      const begin = performance.now();
      let tcpAt = 0;
      // buildConnector returns the socket it creates (its typings say void): its 'connect' event is the TCP
      // handshake, the callback comes after the TLS handshake on https.
      const socket = (base as (o: typeof opts, cb: typeof callback) => Socket | undefined)(opts, (err, sock) => {
        if (err === null) {
          const end = performance.now();
          const tcp = tcpAt === 0 ? end : tcpAt;
          this.pending.push({ connecting: tcp - begin, tlsHandshaking: opts.protocol === 'https:' ? end - tcp : 0 });
          callback(null, sock);
        } else callback(err, null);
      });
      if (opts.protocol === 'https:') socket?.once('connect', () => (tcpAt = performance.now()));
    };
  }

  /** The timing of the connection opened for the request being written now (zeros on a reused connection). */
  take(): ConnectTiming {
    return this.pending.shift() ?? REUSED;
  }
}
