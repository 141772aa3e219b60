/** @module chaos/toxics: Toxiproxy `bandwidth`: limits throughput to `rate` KB/s (1 KB = 1000 B); rate <= 0 is unlimited. */
import { defineToxic, intField } from './toxic.js';

const SLICE_MS = 100;

export const bandwidth = defineToxic({
  type: 'bandwidth',
  fields: [intField('rate')],
  bufferSize: 0,
  async pipe(a, stub) {
    // Sleep debt carries over between chunks, so timer overshoot is paid back (as Toxiproxy does).
    let debt = 0;
    for (;;) {
      const chunk = await stub.read();
      if (chunk === undefined) return;
      if (chunk === null) return stub.close();
      if (a.rate <= 0) {
        await stub.write(chunk);
        continue;
      }
      let data = chunk.data;
      debt += data.length / a.rate; // bytes / (KB/s) = ms
      const slice = a.rate * SLICE_MS; // bytes per 100 ms: big chunks go out in slices
      while (data.length > slice) {
        if (!(await stub.sleep(SLICE_MS))) return stub.write({ data, at: chunk.at });
        await stub.write({ data: data.subarray(0, slice), at: chunk.at });
        data = data.subarray(slice);
        debt -= SLICE_MS;
      }
      const start = stub.now();
      const slept = debt > 0 ? await stub.sleep(debt) : true;
      debt -= stub.now() - start;
      await stub.write({ data, at: chunk.at });
      if (!slept) return;
    }
  },
});
