/**
 * @module chaos/toxics: Toxiproxy `limit_data`: forwards at most `bytes` per connection and direction
 * (counted across restarts), truncating the last chunk, then closes.
 */
import { defineToxic, intField } from './toxic.js';

export const limitData = defineToxic({
  type: 'limit_data',
  fields: [intField('bytes')],
  bufferSize: 0,
  async pipe(a, stub) {
    const sent = (): number => stub.state.bytesTransmitted ?? 0;
    for (;;) {
      const chunk = await stub.read();
      if (chunk === undefined) return;
      if (chunk === null) return stub.close();
      const remaining = Math.max(0, a.bytes - sent());
      const data = remaining < chunk.data.length ? chunk.data.subarray(0, remaining) : chunk.data;
      if (data.length > 0) {
        await stub.write({ data, at: chunk.at });
        stub.state.bytesTransmitted = sent() + data.length;
      }
      if (a.bytes - sent() <= 0) return stub.close();
    }
  },
});
