/** @module demo/fhir-api: bounded LRU of resources by `Type/id`, the hardened fallback when the database fails. */
import type { ResourceJson } from '../db/resource-store.js';

/** Least-recently-used cache of the last known version of each resource. */
export class ReadCache {
  private readonly entries = new Map<string, ResourceJson>();

  constructor(private readonly capacity = 10_000) {}

  /** Remembers the latest version. */
  put(res: ResourceJson): void {
    const key = `${res.resourceType}/${res.id}`;
    this.entries.delete(key);
    this.entries.set(key, res);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** The last known version, if any. */
  get(type: string, id: string): ResourceJson | undefined {
    const key = `${type}/${id}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  get size(): number {
    return this.entries.size;
  }
}
