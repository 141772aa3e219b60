/** @module chaos/api: Toxiproxy's error catalogue on the wire: same status codes, JSON and headers (raw HTTP). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startChaosServer, type ChaosServer } from '../index.js';
import { echoServer, type TestServer } from '../testing/net.js';

let server: ChaosServer;
let echo: TestServer;

async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, { method, body, headers });
  return { status: res.status, type: res.headers.get('content-type'), id: res.headers.get('x-toxiproxy-request-id'), text: await res.text() };
}
const err = (message: string, status: number): string => `${JSON.stringify({ error: message, status })}\n`;

beforeAll(async () => {
  server = await startChaosServer({ host: '127.0.0.1', port: 0 });
  echo = await echoServer();
});
afterAll(async () => {
  await server.close();
  await echo.close();
});
beforeEach(async () => {
  const all = JSON.parse((await call('GET', '/proxies')).text) as Record<string, unknown>;
  for (const name of Object.keys(all)) await call('DELETE', `/proxies/${name}`);
  await call('POST', '/proxies', JSON.stringify({ name: 'p', listen: '127.0.0.1:0', upstream: echo.address }));
  await call('POST', '/proxies/p/toxics', JSON.stringify({ name: 't', type: 'latency' }));
});

describe('the error catalogue', { timeout: 20_000 }, () => {
  const rows: [string, string, string | undefined, number, string][] = [
    ['empty body', '/proxies', '', 400, 'bad request body: EOF'],
    ['broken JSON', '/proxies', '{bad', 400, "bad request body: invalid character 'b' looking for beginning of object key string"],
    ['truncated JSON', '/proxies', '{"name":"x"', 400, 'bad request body: unexpected EOF'],
    ['JSON nested deeper than Go allows', '/proxies', '['.repeat(20_000), 400, 'bad request body: exceeded max depth'],
    ['missing name', '/proxies', '{"upstream":"127.0.0.1:1"}', 400, 'missing required field: name'],
    ['missing upstream', '/proxies', '{"name":"x"}', 400, 'missing required field: upstream'],
    ['wrong-typed name', '/proxies', '{"name":5,"upstream":"127.0.0.1:1"}', 400, 'bad request body: json: cannot unmarshal number into Go struct field Proxy.name of type string'],
    ['an array for a proxy', '/proxies', '[]', 400, 'bad request body: json: cannot unmarshal array into Go value of type toxiproxy.Proxy'],
    ['duplicate proxy', '/proxies', '{"name":"p","upstream":"127.0.0.1:1"}', 409, 'proxy already exists'],
    ['bad stream', '/proxies/p/toxics', '{"type":"latency","stream":"sideways"}', 400, 'stream was invalid, can be either upstream or downstream'],
    ['empty stream', '/proxies/p/toxics', '{"type":"latency","stream":""}', 400, 'stream was invalid, can be either upstream or downstream'],
    ['unknown toxic type', '/proxies/p/toxics', '{"type":"flood"}', 400, 'invalid toxic type'],
    ['float attribute', '/proxies/p/toxics', '{"type":"latency","attributes":{"latency":1.5}}', 400, 'bad request body: json: cannot unmarshal number 1.5 into Go struct field LatencyToxic.attributes.latency of type int64'],
    ['string attribute', '/proxies/p/toxics', '{"type":"bandwidth","attributes":{"rate":"fast"}}', 400, 'bad request body: json: cannot unmarshal string into Go struct field BandwidthToxic.attributes.rate of type int64'],
    ['a number for the toxic type', '/proxies/p/toxics', '{"type":1}', 400, 'bad request body: json: cannot unmarshal number into Go struct field ToxicWrapper.type of type string'],
    ['a string toxicity', '/proxies/p/toxics', '{"type":"latency","toxicity":"x"}', 400, 'bad request body: json: cannot unmarshal string into Go struct field ToxicWrapper.toxicity of type float32'],
    ['a number for the stream', '/proxies/p/toxics', '{"type":"latency","stream":1}', 400, 'bad request body: json: cannot unmarshal number into Go struct field ToxicWrapper.stream of type string'],
    ['a bool for the toxic name', '/proxies/p/toxics', '{"type":"latency","name":true}', 400, 'bad request body: json: cannot unmarshal bool into Go struct field ToxicWrapper.name of type string'],
    ['a number for the attributes', '/proxies/p/toxics', '{"type":"latency","attributes":5}', 400, 'bad request body: json: cannot unmarshal number into Go value of type toxics.LatencyToxic'],
    ['a string toxicity on update', '/proxies/p/toxics/t', '{"toxicity":"x"}', 400, 'bad request body: json: cannot unmarshal string into Go struct field .toxicity of type float32'],
    ['a string attribute on update', '/proxies/p/toxics/t', '{"attributes":{"jitter":"x"}}', 400, 'bad request body: json: cannot unmarshal string into Go struct field LatencyToxic.attributes.jitter of type int64'],
    ['toxic on a missing proxy', '/proxies/nope/toxics', '{"type":"latency"}', 404, 'proxy not found'],
    ['http toxic on a tcp proxy', '/proxies/p/toxics', '{"type":"http_error"}', 400, 'bad request body: toxic type http_error needs a proxy created with "protocol": "http" (codeblue\'s embedded server only)'],
  ];
  for (const [what, path, body, status, message] of rows) {
    it(`answers ${status} "${message}" for ${what}`, async () => {
      const res = await call('POST', path, body);
      expect(res.status).toBe(status);
      expect(res.type).toBe('text/plain; charset=utf-8');
      expect(res.text).toBe(err(message, status));
    });
  }

  it('accepts what Toxiproxy accepts: negative attributes, toxicity out of range, case-insensitive keys, trailing bytes', async () => {
    const res = await call('POST', '/proxies/p/toxics', '{"Name":"n","Type":"latency","Stream":"UPSTREAM","toxicity":2.5,"Attributes":{"Latency":-5}} trailing');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ attributes: { latency: -5, jitter: 0 }, name: 'n', type: 'latency', stream: 'UPSTREAM', toxicity: 2.5 });
  });

  it('answers 409 for a duplicate toxic and 404 for missing toxics', async () => {
    expect((await call('POST', '/proxies/p/toxics', '{"type":"noop"}')).status).toBe(200);
    expect((await call('POST', '/proxies/p/toxics', '{"type":"noop"}')).text).toBe(err('toxic already exists', 409));
    expect((await call('GET', '/proxies/p/toxics/zzz')).text).toBe(err('toxic not found', 404));
    expect((await call('PATCH', '/proxies/p/toxics/zzz', '{}')).text).toBe(err('toxic not found', 404));
    expect((await call('DELETE', '/proxies/p/toxics/zzz')).text).toBe(err('toxic not found', 404));
    expect((await call('DELETE', '/proxies/zzz')).text).toBe(err('proxy not found', 404));
  });

  it('answers 500 with Go\'s text when the listen address is taken, and keeps nothing', async () => {
    const taken = JSON.parse((await call('GET', '/proxies/p')).text) as { listen: string };
    const res = await call('POST', '/proxies', JSON.stringify({ name: 'q', listen: taken.listen, upstream: echo.address }));
    expect(res.status).toBe(500);
    expect(res.text).toBe(err(`listen tcp ${taken.listen}: bind: address already in use`, 500));
    expect((await call('GET', '/proxies/q')).status).toBe(404);
  });

  it('refuses non-loopback listen and upstream addresses with a Toxiproxy-style 403', async () => {
    const res = await call('POST', '/proxies', JSON.stringify({ name: 'w', listen: '0.0.0.0:0', upstream: echo.address }));
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toMatchObject({ status: 403, error: expect.stringContaining('target not allowed: listen 0.0.0.0:0') });
    const up = await call('POST', '/proxies', JSON.stringify({ name: 'w', listen: '127.0.0.1:0', upstream: '8.8.8.8:53' }));
    expect(up.status).toBe(403);
  });

  it('uses Toxiproxy\'s status codes and bodies for success, routing and browsers', async () => {
    const created = await call('POST', '/proxies', JSON.stringify({ name: 'z', listen: '127.0.0.1:0', upstream: echo.address }));
    expect(created.status).toBe(201);
    expect(created.type).toBe('application/json');
    expect(created.text).toMatch(/^\{"name":"z","listen":"127\.0\.0\.1:\d+","upstream":"127\.0\.0\.1:\d+","enabled":true,"Logger":\{\},"toxics":\[\]\}$/);
    expect(created.id).toMatch(/^[0-9a-f]{20}$/);
    expect((await call('POST', '/proxies/z/toxics', '{"type":"slicer"}')).status).toBe(200);
    expect((await call('DELETE', '/proxies/z/toxics/slicer_downstream')).status).toBe(204);
    expect((await call('POST', '/populate', '[]')).text).toBe('{"proxies":null}');
    expect(await call('GET', '/nowhere')).toMatchObject({ status: 404, text: '404 page not found\n' });
    expect(await call('PUT', '/proxies')).toMatchObject({ status: 405, text: '', id: null });
    expect(await call('GET', '/proxies', undefined, { 'user-agent': 'Mozilla/5.0' })).toMatchObject({ status: 403, text: 'User agent not allowed\n' });
    expect((await call('POST', '/reset')).status).toBe(204);
  });

  it('validates the whole populate body first: a bad item creates nothing', async () => {
    const res = await call('POST', '/populate', JSON.stringify([{ name: 'ok', listen: '127.0.0.1:0', upstream: echo.address }, { upstream: 'x:1' }]));
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/json');
    expect(JSON.parse(res.text)).toEqual({ error: 'missing required field: name at proxy 2', status: 400, proxies: null });
    expect((await call('GET', '/proxies/ok')).status).toBe(404);
  });

  it('serves Prometheus counters with Toxiproxy\'s names', async () => {
    const text = (await call('GET', '/metrics')).text;
    expect(text).toContain('# TYPE toxiproxy_proxy_received_bytes_total counter');
    expect(text).toContain('# TYPE toxiproxy_proxy_sent_bytes_total counter');
  });
});
