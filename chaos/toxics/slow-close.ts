/** @module chaos/toxics: Toxiproxy `slow_close`: data is untouched; at end of stream, waits `delay` ms before closing. */
import { defineToxic, intField } from './toxic.js';

export const slowClose = defineToxic({
  type: 'slow_close',
  fields: [intField('delay')],
  bufferSize: 0,
  async pipe(a, stub) {
    for (;;) {
      const chunk = await stub.read();
      if (chunk === undefined) return;
      if (chunk === null) {
        // Interrupted while waiting: close now rather than lose the end of stream.
        await stub.sleep(a.delay);
        return stub.close();
      }
      await stub.write(chunk);
    }
  },
});
