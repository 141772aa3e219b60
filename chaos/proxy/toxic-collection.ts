/**
 * @module chaos/proxy: a proxy's toxics, one chain per direction, and the live links they act on
 * (Toxiproxy `ToxicCollection`). Chain changes and link snapshots happen in the same tick, so a connection
 * opened during a change sees each toxic exactly once.
 */
import type { ToxicLink } from './link.js';
import type { Direction, ToxicEntry } from './stub.js';

export class ToxicCollection {
  private readonly chains: Record<Direction, ToxicEntry[]> = { upstream: [], downstream: [] };
  private readonly links = new Set<ToxicLink>();

  /** Upstream chain first, then downstream, each in insertion order (Toxiproxy `GetToxicArray`). */
  list(): readonly ToxicEntry[] {
    return [...this.chains.upstream, ...this.chains.downstream];
  }

  chain(direction: Direction): readonly ToxicEntry[] {
    return [...this.chains[direction]];
  }

  /** Names are unique across both streams. */
  find(name: string): ToxicEntry | undefined {
    return this.list().find((t) => t.name === name);
  }

  register(link: ToxicLink): void {
    this.links.add(link);
  }

  unregister(link: ToxicLink): void {
    this.links.delete(link);
  }

  add(entry: ToxicEntry): Promise<void> {
    this.chains[entry.direction].push(entry);
    return this.each(entry.direction, (link) => link.addToxic(entry));
  }

  update(entry: ToxicEntry): Promise<void> {
    const chain = this.chains[entry.direction];
    const index = chain.findIndex((t) => t.name === entry.name);
    if (index < 0) return Promise.resolve();
    chain[index] = entry;
    return this.each(entry.direction, (link) => link.updateToxic(index, entry));
  }

  remove(name: string): Promise<void> {
    const entry = this.find(name);
    if (!entry) return Promise.resolve();
    const chain = this.chains[entry.direction];
    const index = chain.indexOf(entry);
    chain.splice(index, 1);
    return this.each(entry.direction, (link) => link.removeToxic(index));
  }

  /** Removes every toxic (Toxiproxy `ResetToxics`). */
  async removeAll(): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const entry of this.list()) pending.push(this.remove(entry.name));
    await Promise.all(pending);
  }

  private async each(direction: Direction, op: (link: ToxicLink) => Promise<void>): Promise<void> {
    const targets = [...this.links].filter((l) => l.direction === direction && !l.isDead);
    await Promise.all(targets.map((link) => boundedOp(link, op(link))));
  }
}

/**
 * How long a toxic change may wait for one link. A link stays blocked only when its reader stopped reading with
 * the buffers full; Toxiproxy then hangs its API (#558). codeblue resets that one connection instead.
 */
const STALLED_LINK_MS = 2_000;

async function boundedOp(link: ToxicLink, op: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      link.reset();
      resolve();
    }, STALLED_LINK_MS);
  });
  try {
    await Promise.race([op, stalled]);
  } finally {
    clearTimeout(timer);
  }
}
