/** @module demo/fhir-api: what request handlers share — pool, stores, EHR adapter, preset, cache. */
import type pg from 'pg';
import type { Outbox } from '../db/outbox.js';
import type { ResourceStore } from '../db/resource-store.js';
import type { SlotBookings } from '../db/slot-bookings.js';
import type { EhrAdapter } from './ehr-adapter.js';
import type { ReadCache } from './read-cache.js';
import type { ResilienceSettings } from './resilience.js';

/** Shared dependencies of the FHIR handlers. */
export interface ApiDeps {
  readonly pool: pg.Pool;
  readonly store: ResourceStore;
  readonly outbox: Outbox;
  readonly bookings: SlotBookings;
  readonly ehr: EhrAdapter;
  readonly settings: ResilienceSettings;
  /** Present in the hardened preset only. */
  readonly cache: ReadCache | null;
  /** True with `--auth`: the CapabilityStatement names the SMART token endpoint. */
  readonly smartAuth?: boolean;
}
