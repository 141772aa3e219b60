/** @module run: where the run's OTLP/gRPC receiver listens, from `collectors.otlpGrpcListen` or beside `otlpListen`. */
import { grpcPortBeside } from '../collectors/index.js';
import { parseHostPort } from '../core/schema-kit.js';
import type { Plan } from '../plan/index.js';

/** The address and the plan key it comes from; undefined when the plan says `otlpGrpcListen: off`. */
export function otlpGrpcListenOf(collectors: Plan['collectors']): { readonly host: string; readonly port: number; readonly key: string } | undefined {
  const set = collectors.otlpGrpcListen;
  if (set === 'off') return undefined;
  const parsed = set === undefined ? undefined : parseHostPort(set);
  if (parsed) return { ...parsed, key: 'collectors.otlpGrpcListen' };
  const http = parseHostPort(collectors.otlpListen) ?? { host: '127.0.0.1', port: 4318 };
  return { host: http.host, port: grpcPortBeside(http.port), key: 'collectors.otlpListen' };
}
