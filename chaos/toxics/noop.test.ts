/** @module chaos/toxics: noop passes data untouched. */
import { runToxicConformance } from './conformance.js';
import { noop } from './noop.js';

runToxicConformance(noop, { attributes: {}, preservesData: true });
