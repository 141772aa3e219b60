/** @module demo/db: one row per booked Slot — the primary key makes double booking impossible. */
import type { Queryable } from './resource-store.js';

/** Slot bookings of one schema. */
export class SlotBookings {
  constructor(private readonly schema: string) {}

  /** Books `slotId` for `appointmentId`; false when another appointment holds it. */
  async book(q: Queryable, slotId: string, appointmentId: string): Promise<boolean> {
    const r = await q.query(`insert into ${this.schema}.slot_bookings (slot_id, appointment_id) values ($1, $2) on conflict (slot_id) do nothing`, [slotId, appointmentId]);
    return r.rowCount === 1;
  }

  /** Releases every slot `appointmentId` holds; returns their ids. */
  async release(q: Queryable, appointmentId: string): Promise<string[]> {
    const r = await q.query<{ slot_id: string }>(`delete from ${this.schema}.slot_bookings where appointment_id = $1 returning slot_id`, [appointmentId]);
    return r.rows.map((x) => x.slot_id);
  }
}
