/** @module demo/fhir-api: process entry — `tsx demo/fhir-api/main.ts --listen 127.0.0.1:8080 --ehr-link … --mode hardened`. */
import { startTelemetry } from '../otel.js';

// Telemetry first: pg and http must be loaded after the instrumentations are registered.
// The hardened preset keeps patient search values out of span attributes; fragile leaks them (a PHI finding).
const telemetry = startTelemetry('fhir-api', { redactPhi: !process.argv.slice(2).join(' ').includes('--mode fragile') });
const { runService } = await import('../process/run-service.js');
const { parseFhirApiArgs } = await import('./args.js');
const { startFhirApi } = await import('./app.js');

await runService('fhir-api', telemetry, async () => {
  const options = parseFhirApiArgs(process.argv.slice(2));
  const api = await startFhirApi(options);
  return { info: { url: api.url, fhir: `${api.url}/fhir`, mode: options.mode, ehrLink: `${options.ehrLink.host}:${options.ehrLink.port}`, ...api.authInfo }, stop: () => api.stop() };
});
