/**
 * @module chaos/toxics: Toxiproxy `timeout`: drops all data; closes the connection `timeout` ms after the toxic
 * starts on the link; 0 never closes (data is dropped until the toxic is removed, which closes the connection).
 */
import { defineToxic, intField } from './toxic.js';

export const timeout = defineToxic({
  type: 'timeout',
  fields: [intField('timeout')],
  bufferSize: 0,
  async pipe(a, stub) {
    const timer = new AbortController();
    const handle = a.timeout > 0 ? setTimeout(() => timer.abort(), a.timeout) : undefined;
    const signal = AbortSignal.any([stub.interrupted, timer.signal]);
    try {
      for (;;) {
        const chunk = await stub.read(signal);
        if (chunk === null) return await stub.close();
        if (chunk === undefined) {
          if (!stub.interrupted.aborted) await stub.close(); // the timer fired
          return;
        }
        // Data is dropped on purpose: this is what a black-holed peer looks like.
      }
    } finally {
      clearTimeout(handle);
    }
  },
  cleanup: (_a, stub) => stub.close(),
});
