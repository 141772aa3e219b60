/**
 * @module chaos/toxics: Toxiproxy `reset_peer`: on the first chunk (or end of stream) waits `timeout` ms, then
 * resets the connection (TCP RST: the client sees ECONNRESET).
 */
import { defineToxic, intField } from './toxic.js';

export const resetPeer = defineToxic({
  type: 'reset_peer',
  fields: [intField('timeout')],
  bufferSize: 0,
  async pipe(a, stub) {
    const first = await stub.read();
    if (first === undefined) return;
    // Unlike Toxiproxy, the RST is sent whenever this toxic fires, not decided by SO_LINGER at connection open
    // (Shopify/toxiproxy#603), and the wait is interruptible.
    if (a.timeout > 0 && !(await stub.sleep(a.timeout))) {
      if (first !== null) await stub.write(first);
      return;
    }
    stub.reset();
  },
});
