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

/** The JS value of a Go field type as the API decodes it (a nil slice is `null`). */
export type GoValue<T extends GoFieldType> = T extends '[]string' ? readonly string[] | null : T extends 'string' ? string : number;

/**
 * How a plan file's `faults[].attributes.<key>` is checked: a number (`int` = whole) within `min`…`max`, with the
 * plan's `default` (none: the key is optional), or an optional string, or an optional list of `values`.
 * Declarative rather than a zod schema so that the server (`chaos serve`) never loads zod; `attributes.ts` builds the schema.
 */
export type PlanRule =
  | { readonly kind: 'int' | 'number'; readonly min?: number; readonly max?: number; readonly default?: number }
  | { readonly kind: 'string' }
  | { readonly kind: 'list'; readonly values: readonly string[] };

/**
 * One attribute of a toxic, declared once: its wire name, Go type and wire default (what the API fills in), and
 * `plan`, how a plan file's `faults[].attributes.<key>` is checked (bounds, the plan's default). The plan's schema
 * (`attributes.ts`) and the attribute type a toxic's `pipe` receives are both derived from these.
 */
export interface AttributeField<K extends string = string, T extends GoFieldType = GoFieldType> {
  readonly key: K;
  readonly type: T;
  readonly default: GoValue<T>;
  readonly plan: PlanRule;
}

/** The attribute object a toxic with these fields receives, as the API decodes it. */
export type AttributesOf<F extends readonly AttributeField[]> = { readonly [E in F[number] as E['key']]: GoValue<E['type']> };

/** A rule across attributes that the plan checks (e.g. slicer: size_variation < average_size). */
interface AttributeRule<A> {
  readonly check: (attributes: A) => boolean;
  /** The attribute the issue is reported on. */
  readonly key: string;
  readonly message: string;
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

type ToxicAttributes = Readonly<Record<string, unknown>>;

/** A toxic type. `A` is its attribute object as decoded by the API. */
export interface ToxicDefinition<A extends ToxicAttributes = ToxicAttributes> {
  /** Wire name, e.g. `slow_close`. */
  readonly type: string;
  /** Attribute keys in the order Toxiproxy emits them, with Go types, wire defaults and plan rules. */
  readonly fields: readonly AttributeField[];
  /** A rule across attributes the plan enforces beyond each field's own. */
  readonly rule?: AttributeRule<A>;
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

/** A toxic as its file declares it: `fields` (a tuple) is the one source of its attribute type. */
export type ToxicSpec<T extends string, F extends readonly AttributeField[]> = Omit<ToxicDefinition<AttributesOf<F>>, 'type' | 'fields'> & {
  readonly type: T;
  readonly fields: F;
};

/** Typed helper: each toxic's `pipe`/`http` get the attribute type derived from its own `fields`. */
export function defineToxic<const T extends string, const F extends readonly AttributeField[]>(
  definition: ToxicSpec<T, F>,
): ToxicDefinition & { readonly type: T } {
  return definition as unknown as ToxicDefinition & { readonly type: T };
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

/** One attribute (see `AttributeField`). */
export function field<const K extends string, const T extends GoFieldType>(key: K, type: T, wireDefault: GoValue<T>, plan: PlanRule): AttributeField<K, T> {
  return { key, type, default: wireDefault, plan };
}

/**
 * An integer attribute (the API stores Go int64s as JS numbers), wire default 0 as in Toxiproxy; a plan gives a whole
 * number ≥ 0, default 0, unless `plan` says otherwise.
 */
export function intField<const K extends string>(key: K, type: 'int64' | 'int' = 'int64', plan: PlanRule = { kind: 'int', min: 0, default: 0 }): AttributeField<K, 'int64' | 'int'> {
  return field(key, type, 0, plan);
}
