/** @module demo/legacy-ehr: the legacy EHR process body — MLLP listener plus an HTTP /health endpoint. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostPort } from '../config/flags.js';
import { startMllpServer } from '../hl7/mllp.js';
import { createEhrHandler, type EhrBehaviour, type EhrState } from './ehr-handler.js';
import { startFhirFeed, type FhirFeedOptions } from './fhir-feed.js';

/** Options of the legacy EHR. */
export interface LegacyEhrOptions extends EhrBehaviour {
  /** MLLP listen address (port 0 = ephemeral). */
  readonly listen: HostPort;
  /** HTTP health port on the same host (0 = ephemeral). */
  readonly healthPort: number;
  /** Feed acknowledged admits to this FHIR API (absent: they stay in the EHR). */
  readonly fhirFeed?: FhirFeedOptions;
}

/** A running legacy EHR. */
export interface LegacyEhr {
  readonly mllp: HostPort;
  readonly healthUrl: string;
  readonly state: EhrState;
  stop(): Promise<void>;
}

/** Starts the EHR: the MLLP server and its health endpoint. */
export async function startLegacyEhr(options: LegacyEhrOptions): Promise<LegacyEhr> {
  const state: EhrState = { admits: new Map(), messages: 0, malformedSent: 0 };
  const feed = options.fhirFeed ? startFhirFeed(options.fhirFeed) : undefined;
  const mllp = await startMllpServer(options.listen, createEhrHandler(options, state, feed));
  const health = http.createServer((req, res) => {
    const ok = req.url === '/health' || req.url === '/health/ready';
    res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
    res.end(ok ? JSON.stringify({ status: 'ok', service: 'legacy-ehr', mllp: `${mllp.address.host}:${mllp.address.port}`, admits: state.admits.size, messages: state.messages, malformedSent: state.malformedSent, ...(feed ? { feed: { to: options.fhirFeed?.baseUrl, mode: options.fhirFeed?.mode, ...feed.stats() } } : {}), behaviour: { delayMs: options.delayMs, jitterMs: options.jitterMs, malformedRate: options.malformedRate } }) : '{"error":"not found"}');
  });
  try {
    await new Promise<void>((resolve, reject) => {
      health.once('error', reject);
      health.listen(options.healthPort, options.listen.host, () => resolve());
    });
  } catch (err) {
    await Promise.all([mllp.close(), feed?.stop()]);
    throw err;
  }
  const port = (health.address() as AddressInfo).port;
  return {
    mllp: mllp.address,
    healthUrl: `http://${options.listen.host}:${port}/health`,
    state,
    async stop() {
      health.closeAllConnections();
      await Promise.all([mllp.close(), new Promise<void>((r) => health.close(() => r()))]);
      await feed?.stop();
    },
  };
}
