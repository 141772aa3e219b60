/** @module demo/legacy-ehr: process entry — `tsx demo/legacy-ehr/main.ts --listen 127.0.0.1:7001 [--delay-ms N] …`. */
import { startTelemetry } from '../otel.js';

const telemetry = startTelemetry('legacy-ehr');
const { runService } = await import('../process/run-service.js');
const { parseLegacyEhrArgs } = await import('./ehr-args.js');
const { startLegacyEhr } = await import('./ehr-service.js');

await runService('legacy-ehr', telemetry, async () => {
  const ehr = await startLegacyEhr(parseLegacyEhrArgs(process.argv.slice(2)));
  return { info: { mllp: `${ehr.mllp.host}:${ehr.mllp.port}`, health: ehr.healthUrl }, stop: () => ehr.stop() };
});
