/** @module chaos/toxics: Toxiproxy `noop`: passes data through untouched. */
import { defineToxic, passThrough } from './toxic.js';

export const noop = defineToxic({
  type: 'noop',
  fields: [],
  bufferSize: 0,
  pipe: (_attributes, stub) => passThrough(stub),
});
