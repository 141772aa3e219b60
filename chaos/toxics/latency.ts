/** @module chaos/toxics: Toxiproxy `latency`: delays each chunk by latency ± jitter (ms) from the time it was read. */
import { randomInt } from '../rng.js';
import { defineToxic, intField } from './toxic.js';

export const latency = defineToxic({
  type: 'latency',
  fields: [intField('latency'), intField('jitter')],
  // Chunks queue here while they wait, so latency adds delay without throttling (Toxiproxy's buffer is 1024).
  bufferSize: 1024,
  async pipe(a, stub) {
    for (;;) {
      const chunk = await stub.read();
      if (chunk === undefined) return;
      if (chunk === null) return stub.close();
      // Jitter is uniform in [-jitter, jitter), as Go's rand.Int63n(2j) - j.
      const delay = a.latency + (a.jitter > 0 ? randomInt(stub.random, 2 * a.jitter) - a.jitter : 0);
      const due = chunk.at + delay;
      let slept = true;
      // Node timers may fire a little early against performance.now(): sleep again until due.
      while (slept && stub.now() < due) slept = await stub.sleep(due - stub.now());
      await stub.write(chunk); // on interrupt the held chunk is flushed at once, never dropped
      if (!slept) return;
    }
  },
});
