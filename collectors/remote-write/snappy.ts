/**
 * @module collectors/remote-write: Snappy block compression (google/snappy `format_description.txt`), the
 * body encoding remote write requires. Greedy LZ77 over 64 KiB blocks with a 4-byte hash table; the output is
 * the uncompressed length as a varint, then literals and copies (2-byte offsets, or 1-byte ones for short, near copies).
 */

const BLOCK = 1 << 16;
const HASH_BITS = 14;
const MIN_MATCH = 4;

/** Compresses `input` into one Snappy block stream. */
export function snappyCompress(input: Uint8Array): Uint8Array {
  // Worst case (all literals): 32 + n + n/6 (the reference `MaxCompressedLength`).
  const out = new Uint8Array(32 + input.length + Math.ceil(input.length / 6));
  let o = writeVarint(out, 0, input.length);
  const table = new Int32Array(1 << HASH_BITS);
  for (let start = 0; start < input.length; start += BLOCK) {
    o = compressBlock(input, start, Math.min(start + BLOCK, input.length), out, o, table);
  }
  return out.subarray(0, o);
}

function compressBlock(src: Uint8Array, start: number, end: number, out: Uint8Array, o: number, table: Int32Array): number {
  table.fill(-1);
  let literalFrom = start;
  let i = start;
  while (i + MIN_MATCH <= end) {
    const h = hash(src, i);
    const candidate = table[h] as number;
    table[h] = i;
    if (candidate < start || !same4(src, candidate, i)) {
      i++;
      continue;
    }
    let len = MIN_MATCH;
    while (i + len < end && src[candidate + len] === src[i + len]) len++;
    o = emitLiteral(src, literalFrom, i, out, o);
    o = emitCopy(i - candidate, len, out, o);
    i += len;
    literalFrom = i;
  }
  return emitLiteral(src, literalFrom, end, out, o);
}

function hash(src: Uint8Array, i: number): number {
  const v = ((src[i] as number) | ((src[i + 1] as number) << 8) | ((src[i + 2] as number) << 16) | ((src[i + 3] as number) << 24)) >>> 0;
  return Math.imul(v, 0x1e35a7bd) >>> (32 - HASH_BITS);
}

function same4(src: Uint8Array, a: number, b: number): boolean {
  return src[a] === src[b] && src[a + 1] === src[b + 1] && src[a + 2] === src[b + 2] && src[a + 3] === src[b + 3];
}

/** Literal: tag 00; lengths up to 60 in the tag, longer ones in 1–4 following little-endian bytes. */
function emitLiteral(src: Uint8Array, from: number, to: number, out: Uint8Array, o: number): number {
  const n = to - from;
  if (n === 0) return o;
  const m = n - 1;
  if (m < 60) out[o++] = m << 2;
  else {
    const bytes = m < 1 << 8 ? 1 : m < 1 << 16 ? 2 : m < 1 << 24 ? 3 : 4;
    out[o++] = (59 + bytes) << 2;
    for (let k = 0; k < bytes; k++) out[o++] = (m >>> (8 * k)) & 0xff;
  }
  out.set(src.subarray(from, to), o);
  return o + n;
}

/** Copies of at most 64 bytes each: 1-byte offset form (tag 01) for 4–11 bytes within 2 KiB, else 2-byte offset (tag 10). */
function emitCopy(offset: number, len: number, out: Uint8Array, o: number): number {
  while (len > 0) {
    // Leave at least 4 for the last piece so a short tail can still use the compact form.
    const piece = len > 64 ? (len - 64 < 4 ? 60 : 64) : len;
    if (piece >= 4 && piece <= 11 && offset < 2048) {
      out[o++] = ((offset >>> 8) << 5) | ((piece - 4) << 2) | 1;
      out[o++] = offset & 0xff;
    } else {
      out[o++] = ((piece - 1) << 2) | 2;
      out[o++] = offset & 0xff;
      out[o++] = offset >>> 8;
    }
    len -= piece;
  }
  return o;
}

function writeVarint(out: Uint8Array, o: number, n: number): number {
  while (n >= 0x80) {
    out[o++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  out[o++] = n;
  return o;
}
