/** @module demo/fhir-api: reading FHIR JSON request bodies and writing FHIR JSON responses. */
import type http from 'node:http';
import { FhirError } from './outcome.js';

const MAX_BODY_BYTES = 1024 * 1024;
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** Reads and parses a JSON body: 415 for a non-JSON content type, 413 when too big, 400 when malformed. */
export async function readJsonBody(req: http.IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/fhir+json' && type !== 'application/json') {
    throw FhirError.of(415, 'not-supported', `Content-Type must be application/fhir+json or application/json, but is "${type || 'missing'}"`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw FhirError.of(413, 'too-costly', `request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw FhirError.of(400, 'structure', `request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** Writes a FHIR JSON response. */
export function sendFhir(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': FHIR_JSON, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
