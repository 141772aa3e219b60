/** @module run: where the run's OTLP/gRPC receiver listens — set, `off`, or beside `collectors.otlpListen`. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../plan/index.js';
import { startEmbedded } from './embedded.js';
import { otlpGrpcListenOf } from './otlp-grpc-listen.js';

const plan = (collectors: string) => parsePlan([
  'name: grpc-listen',
  'target: { baseUrl: "http://127.0.0.1:8080" }',
  'scenarios: { s: { executor: shared-iterations, flow: fhir/patient-registration } }',
  `collectors: ${collectors}`,
].join('\n'), 'drill.yaml');

describe('collectors.otlpGrpcListen', () => {
  it('defaults to otlpListen\'s host on 4317, or a free port when otlpListen asks for one', () => {
    expect(otlpGrpcListenOf(plan('{ otlpListen: "127.0.0.1:4318" }').collectors)).toEqual({ host: '127.0.0.1', port: 4317, key: 'collectors.otlpListen' });
    expect(otlpGrpcListenOf(plan('{ otlpListen: "[::1]:0" }').collectors)).toEqual({ host: '::1', port: 0, key: 'collectors.otlpListen' });
  });

  it('takes an address, or off', () => {
    expect(otlpGrpcListenOf(plan('{ otlpGrpcListen: "127.0.0.1:14317" }').collectors)).toEqual({ host: '127.0.0.1', port: 14317, key: 'collectors.otlpGrpcListen' });
    expect(otlpGrpcListenOf(plan('{ otlpGrpcListen: off }').collectors)).toBeUndefined();
  });

  it('refuses anything else with the key and what it expects', () => {
    expect(() => plan('{ otlpGrpcListen: "4317" }')).toThrow(/collectors\.otlpGrpcListen.*expected an address like "127\.0\.0\.1:4317", or off, got "4317"/s);
  });

  it('starts the gRPC receiver with the run unless it is off', { timeout: 20_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cb-grpc-listen-'));
    try {
      const on = await startEmbedded(plan('{ otlpListen: "127.0.0.1:0", metricsListen: "127.0.0.1:0" }'), 'cb-test-grpc-on', join(dir, 'on'));
      expect(on.collectors.grpcReceiver?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(on.collectors.grpcReceiver?.port).not.toBe(4317);
      await on.close();
      const off = await startEmbedded(plan('{ otlpListen: "127.0.0.1:0", otlpGrpcListen: off, metricsListen: "127.0.0.1:0" }'), 'cb-test-grpc-off', join(dir, 'off'));
      expect(off.collectors.grpcReceiver).toBeUndefined();
      await off.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
