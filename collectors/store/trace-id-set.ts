/**
 * @module collectors/store: a compact set of 128-bit trace ids (16 bytes + a 16-bit tag per slot in typed
 * arrays, open addressing) — a million ids cost ~40 MB less than a Set of 32-char strings.
 */

const WORDS = 4;

/**
 * Home slot hash over all four words. Ids that share their leading words (counter ids, X-Ray ids that start with
 * the epoch second) would all land on one slot if only the first word were used, and probing turns quadratic.
 */
export function hashWords(w: Uint32Array): number {
  let h = 0x9e3779b9;
  for (let k = 0; k < WORDS; k++) {
    h = Math.imul(h ^ (w[k] as number), 0x85ebca6b);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 16), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class TraceIdSet {
  private slots: Uint32Array;
  private tags: Uint16Array;
  private mask: number;
  size = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.slots = new Uint32Array(cap * WORDS);
    this.tags = new Uint16Array(cap);
    this.mask = cap - 1;
  }

  /**
   * A table for at most `bound` ids, sized for them at once (its pages are touched as ids arrive), so memory does not
   * climb through doublings while it fills; an unbounded one starts small and grows.
   */
  static sizedFor(bound: number): TraceIdSet {
    return new TraceIdSet(Number.isFinite(bound) ? bound : 1024);
  }

  /** Adds a 32-hex trace id (the tag of an existing id is kept). Returns false for malformed or all-zero ids. */
  add(traceId: string, tag = 0): boolean {
    const w = words(traceId);
    if (!w) return false;
    if (this.find(w) >= 0) return true;
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    this.insert(w, tag);
    this.size++;
    return true;
  }

  has(traceId: string): boolean {
    const w = words(traceId);
    return w !== undefined && this.find(w) >= 0;
  }

  /** The tag the id was added with, or undefined when it is not held. */
  tagOf(traceId: string): number | undefined {
    const w = words(traceId);
    const slot = w === undefined ? -1 : this.find(w);
    return slot < 0 ? undefined : this.tags[slot];
  }

  /**
   * Removes an id. The ids after it in its probe run move back into the gap when their home slot allows (no
   * tombstones), so every lookup still ends at the first empty slot. Returns whether it was held.
   */
  delete(traceId: string): boolean {
    const w = words(traceId);
    let hole = w === undefined ? -1 : this.find(w);
    if (hole < 0) return false;
    this.clearSlot(hole);
    this.size--;
    for (let slot = (hole + 1) & this.mask; !this.isEmpty(slot); slot = (slot + 1) & this.mask) {
      const o = slot * WORDS;
      const home = hashWords(this.slots.subarray(o, o + WORDS)) & this.mask;
      // It may move back only if the hole lies between its home slot and where it sits now.
      if (((slot - home) & this.mask) < ((slot - hole) & this.mask)) continue;
      this.slots.copyWithin(hole * WORDS, o, o + WORDS);
      this.tags[hole] = this.tags[slot] as number;
      this.clearSlot(slot);
      hole = slot;
    }
    return true;
  }

  /** Slots in the table: it holds up to half as many ids before it grows. */
  get slotCount(): number {
    return this.mask + 1;
  }

  /** Forgets every id and keeps the table's size, so a generation reuses its memory instead of growing a new table. */
  clear(): void {
    this.slots.fill(0);
    this.tags.fill(0);
    this.size = 0;
  }

  /** Calls `fn` with every id (lower-case hex) and its tag. */
  forEach(fn: (traceId: string, tag: number) => void): void {
    for (let slot = 0; slot <= this.mask; slot++) {
      const o = slot * WORDS;
      if (this.slots[o] === 0 && this.slots[o + 1] === 0 && this.slots[o + 2] === 0 && this.slots[o + 3] === 0) continue;
      const hex = [0, 1, 2, 3].map((k) => (this.slots[o + k] as number).toString(16).padStart(8, '0')).join('');
      fn(hex, this.tags[slot] as number);
    }
  }

  private find(w: Uint32Array): number {
    for (let slot = hashWords(w) & this.mask; ; slot = (slot + 1) & this.mask) {
      const o = slot * WORDS;
      const a = this.slots[o] as number;
      if (a === 0 && this.slots[o + 1] === 0 && this.slots[o + 2] === 0 && this.slots[o + 3] === 0) return -1;
      if (a === w[0] && this.slots[o + 1] === w[1] && this.slots[o + 2] === w[2] && this.slots[o + 3] === w[3]) return slot;
    }
  }

  private isEmpty(slot: number): boolean {
    const o = slot * WORDS;
    return this.slots[o] === 0 && this.slots[o + 1] === 0 && this.slots[o + 2] === 0 && this.slots[o + 3] === 0;
  }

  private clearSlot(slot: number): void {
    this.slots.fill(0, slot * WORDS, slot * WORDS + WORDS);
    this.tags[slot] = 0;
  }

  private insert(w: Uint32Array, tag: number): void {
    for (let slot = hashWords(w) & this.mask; ; slot = (slot + 1) & this.mask) {
      const o = slot * WORDS;
      if (this.slots[o] === 0 && this.slots[o + 1] === 0 && this.slots[o + 2] === 0 && this.slots[o + 3] === 0) {
        this.slots.set(w, o);
        this.tags[slot] = tag;
        return;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    const oldTags = this.tags;
    const cap = (this.mask + 1) * 2;
    this.slots = new Uint32Array(cap * WORDS);
    this.tags = new Uint16Array(cap);
    this.mask = cap - 1;
    for (let slot = 0; slot < oldTags.length; slot++) {
      const w = old.subarray(slot * WORDS, slot * WORDS + WORDS);
      if (w[0] !== 0 || w[1] !== 0 || w[2] !== 0 || w[3] !== 0) this.insert(w, oldTags[slot] as number);
    }
  }
}

const HEX32 = /^[0-9a-fA-F]{32}$/;

/** One scratch array for the id being looked up: every lookup would otherwise allocate one (insert copies it). */
const scratch = new Uint32Array(WORDS);

function words(traceId: string): Uint32Array | undefined {
  if (!HEX32.test(traceId)) return undefined;
  const w = scratch;
  for (let k = 0; k < WORDS; k++) w[k] = Number.parseInt(traceId.slice(k * 8, k * 8 + 8), 16);
  return w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 ? undefined : w;
}
