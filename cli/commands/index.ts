/** @module cli: the explicit list of commands; one line each, in help order. */
import type { RegisterCommand } from '../context.js';
import { registerChaos } from './chaos.js';
import { registerCleanup } from './cleanup.js';
import { registerCollect } from './collect.js';
import { registerCompare } from './compare.js';
import { registerDashboard } from './dashboard.js';
import { registerDemo } from './demo.js';
import { registerInit } from './init.js';
import { registerK6 } from './k6.js';
import { registerLoad } from './load.js';
import { registerReport } from './report.js';
import { registerRun } from './run.js';
import { registerSchema } from './schema.js';
import { registerTrace } from './trace.js';
import { registerValidate } from './validate.js';

export const COMMANDS: readonly RegisterCommand[] = [
  registerInit,
  registerValidate,
  registerSchema,
  registerRun,
  registerDemo,
  registerReport,
  registerCompare,
  registerTrace,
  registerCollect,
  registerLoad,
  registerK6,
  registerDashboard,
  registerChaos,
  registerCleanup,
];
