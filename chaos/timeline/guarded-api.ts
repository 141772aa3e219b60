/**
 * @module chaos/timeline: toxiproxy-node-client's HTTP layer (its `api`: get/post/delete/getText over the global
 * fetch) replaced by undici requests through core's net guard, so every call to a chaos server — embedded or a
 * real Toxiproxy — is checked at connect time and a refused `chaos.server` never receives a byte.
 */
import { request, type Dispatcher } from 'undici';
import { ToxiproxyError } from 'toxiproxy-node-client';
import { isCodeblueError, type NetGuard } from '../../core/index.js';
import { ChaosHttpError, reasonOf } from './reason-http.js';

/** The client's request timeout; a chaos API answers in milliseconds. */
const TIMEOUT_MS = 10_000;

/** The subset of toxiproxy-node-client's `HttpClient` the library calls, with the same results and error texts. */
export class GuardedToxiproxyApi {
  private readonly dispatcher: Dispatcher;

  constructor(guard: NetGuard) {
    this.dispatcher = guard.agent({ headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
  }

  async get<T>(url: string): Promise<{ data: T }> {
    return this.call<T>('GET', url);
  }

  async post<T>(url: string, body?: unknown): Promise<{ data: T }> {
    return this.call<T>('POST', url, body);
  }

  async delete(url: string): Promise<void> {
    await this.call('DELETE', url);
  }

  async getText(url: string): Promise<string> {
    return this.send('GET', url);
  }

  private async call<T>(method: Dispatcher.HttpMethod, url: string, body?: unknown): Promise<{ data: T }> {
    const text = await this.send(method, url, body);
    if (text.length === 0) return { data: undefined as T };
    try {
      return { data: JSON.parse(text) as T };
    } catch (err) {
      throw new ToxiproxyError((err as Error).name, (err as Error).message);
    }
  }

  private async send(method: Dispatcher.HttpMethod, url: string, body?: unknown): Promise<string> {
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        method,
        dispatcher: this.dispatcher,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
    } catch (err) {
      if (isCodeblueError(err)) throw err; // refused by the guard: keep the code, host and plan key
      throw new ToxiproxyError((err as Error).name ?? 'Error', (err as Error).message ?? String(err));
    }
    const text = await res.body.text();
    // The library's own text (callers match `status code N`), plus the server's reason from its `{"error": …}` body.
    if (res.statusCode < 200 || res.statusCode >= 300) throw new ChaosHttpError(res.statusCode, reasonOf(text));
    return text;
  }
}
