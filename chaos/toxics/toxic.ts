/**
 * @module chaos/toxics: what a toxic is. Each toxic is one file exporting one `ToxicDefinition`;
 * the proxy core only ever calls `pipe` (and `cleanup`, `http`) and never looks at the type.
 */
import type { Random } from '../rng.js';

/** One `read()` of a socket, with the time it was read (`performance.now()` ms). */
export interface StreamChunk {
  readonly data: Buffer;
  readonly at: number;
}

/** The toxic's view of its place in a link: an input, an output, an interrupt (Toxiproxy `ToxicStub`). */
export interface ToxicStub {
  /** The next chunk; `null` at end of stream; `undefined` when interrupted (or `signal` fired). Nothing is lost on interrupt. */
  read(signal?: AbortSignal): Promise<StreamChunk | null | undefined>;
  /** Passes a chunk on; waits while the next stage is full (backpressure). */
  write(chunk: StreamChunk): Promise<void>;
  /** Ends the stream downstream of this toxic: the link then closes the connection. */
  close(): Promise<void>;
  /** Closes both sockets of the connection with a TCP RST (the peer sees ECONNRESET). */
  reset(): void;
  /** Fires when the toxic must stop: it was updated, removed, or another toxic was added after it. */
  readonly interrupted: AbortSignal;
  /** Sleeps `ms`; resolves false at once when interrupted. */
  sleep(ms: number): Promise<boolean>;
  /** Seedable draws in [0, 1). */
  readonly random: Random;
  /** Per connection × direction state that survives restarts (stateful toxics such as limit_data). */
  readonly state: Record<string, number>;
  /** `performance.now()` in ms. */
  now(): number;
}

/** How an attribute is typed on the wire, named after Toxiproxy's Go field types (used for its error messages). */
export type GoFieldType = 'int64' | 'int' | 'float64' | 'string' | '[]string';

export interface AttributeField {
  readonly key: string;
  readonly type: GoFieldType;
  readonly default: number | string | readonly string[] | null;
}

/** One HTTP request as HTTP toxics see it. */
export interface HttpRequestInfo {
  readonly method: string;
  readonly path: string;
}

/** What an HTTP toxic does to one request. */
export type HttpAction =
  | { readonly kind: 'respond'; readonly status: number; readonly body: string; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'delay'; readonly ms: number };

export type ToxicAttributes = Readonly<Record<string, unknown>>;

/** A toxic type. `A` is its attribute object as decoded by the API. */
export interface ToxicDefinition<A extends ToxicAttributes = ToxicAttributes> {
  /** Wire name, e.g. `slow_close`. */
  readonly type: string;
  /** Attribute keys in the order Toxiproxy emits them, with Go types and defaults. */
  readonly fields: readonly AttributeField[];
  /** Capacity of the stage's input buffer in chunks (Toxiproxy `GetBufferSize`; latency 1024). */
  readonly bufferSize: number;
  /** Set for HTTP-level toxics: they need a `protocol: http` proxy (embedded server only). */
  readonly needsHttp?: boolean;
  /** Moves chunks from input to output until interrupted or the stream ends. */
  pipe(attributes: A, stub: ToxicStub): Promise<void>;
  /** Called when the toxic is removed from a live link (Toxiproxy `CleanupToxic`). */
  cleanup?(attributes: A, stub: ToxicStub): Promise<void>;
  /** HTTP toxics: the action for one request, or undefined to let it through. */
  http?(attributes: A, request: HttpRequestInfo, random: Random): HttpAction | undefined;
}

/** Typed helper so each toxic file checks its own attribute shape. */
export function defineToxic<A extends ToxicAttributes>(definition: ToxicDefinition<A>): ToxicDefinition {
  return definition as unknown as ToxicDefinition;
}

/** Copies chunks unchanged until interrupted or end of stream (noop, and any toxic that lost its toxicity draw). */
export async function passThrough(stub: ToxicStub): Promise<void> {
  for (;;) {
    const chunk = await stub.read();
    if (chunk === undefined) return;
    if (chunk === null) return stub.close();
    await stub.write(chunk);
  }
}

/** An integer attribute (the API stores Go int64s as JS numbers). */
export function intField(key: string, type: 'int64' | 'int' = 'int64'): AttributeField {
  return { key, type, default: 0 };
}
