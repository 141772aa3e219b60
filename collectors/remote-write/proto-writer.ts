/**
 * @module collectors/remote-write: a minimal protobuf (proto3) writer — varints, zig-zag, 64-bit doubles,
 * length-delimited strings and nested messages — enough for prompb's WriteRequest (protobuf.dev "Encoding").
 */

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;

/** Appends fields to a growing byte buffer; nested messages are written into their own writer first. */
/** Scratch space for a double's 8 little-endian bytes (shared: writing is synchronous). */
const scratch = new DataView(new ArrayBuffer(8));
const scratchBytes = new Uint8Array(scratch.buffer);
const utf8 = new TextEncoder();

export class ProtoWriter {
  private buf = new Uint8Array(64);
  private len = 0;

  get length(): number {
    return this.len;
  }

  /** The bytes written so far (a view, valid until the next write). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** Empties the writer, keeping its buffer (encoders reuse one writer per nesting level). */
  reset(): this {
    this.len = 0;
    return this;
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** Unsigned varint of a non-negative safe integer (JS numbers: exact up to 2^53). */
  private varint(n: number): void {
    this.ensure(10);
    while (n >= 0x80) {
      this.buf[this.len++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.len++] = n;
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** uint32/uint64/int64 (non-negative) field. Zero is the proto3 default and is not written. */
  uint(field: number, n: number): this {
    if (n !== 0) {
      this.tag(field, WIRE_VARINT);
      this.varint(n);
    }
    return this;
  }

  /** int64 that may be negative: two's complement over 10 bytes, as protobuf encodes negative int64. */
  int64(field: number, n: number): this {
    if (n >= 0) return this.uint(field, n);
    this.tag(field, WIRE_VARINT);
    let v = BigInt.asUintN(64, BigInt(n));
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
    return this;
  }

  /** sint32/sint64 field (zig-zag). */
  sint(field: number, n: number): this {
    return this.uint(field, zigzag(n));
  }

  /** double field; written even when 0 when `always` (a sample's value 0 must still be sent). */
  double(field: number, n: number, always = false): this {
    if (n === 0 && !always && !Object.is(n, -0)) return this;
    this.tag(field, WIRE_I64);
    this.ensure(8);
    scratch.setFloat64(0, n, true);
    this.buf.set(scratchBytes, this.len);
    this.len += 8;
    return this;
  }

  /** Prometheus' stale marker: the NaN with bits 0x7ff0000000000002 (JS may canonicalise NaN, so written as bytes). */
  staleMarker(field: number): this {
    this.tag(field, WIRE_I64);
    this.ensure(8);
    this.buf.set([0x02, 0, 0, 0, 0, 0, 0xf0, 0x7f], this.len);
    this.len += 8;
    return this;
  }

  string(field: number, s: string): this {
    // Label names and most values are ASCII: write their char codes directly (TextEncoder costs a native call each).
    const n = s.length;
    let ascii = n < 128;
    for (let i = 0; ascii && i < n; i++) if (s.charCodeAt(i) >= 0x80) ascii = false;
    if (!ascii) return this.lenDelimited(field, utf8.encode(s));
    this.tag(field, WIRE_LEN);
    this.ensure(n + 1);
    this.buf[this.len++] = n;
    for (let i = 0; i < n; i++) this.buf[this.len++] = s.charCodeAt(i);
    return this;
  }

  /** A nested message (written even when empty: a repeated element must keep its place). */
  message(field: number, m: ProtoWriter): this {
    return this.lenDelimited(field, m.bytes());
  }

  /** Packed repeated sint64 (proto3 packs repeated scalars). */
  packedSint(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(zigzag(v));
    return this.lenDelimited(field, inner.bytes());
  }

  private lenDelimited(field: number, bytes: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.varint(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
    return this;
  }
}

/** Zig-zag of a safe integer: 0→0, -1→1, 1→2, -2→3 (arithmetic, so it holds past 32 bits). */
function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}
