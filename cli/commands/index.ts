/** @module cli: the explicit list of commands; one line each, in help order. */
import type { RegisterCommand } from '../context.js';
import { registerCollect } from './collect.js';
import { registerInit } from './init.js';
import { registerK6 } from './k6.js';
import { registerLoad } from './load.js';
import { registerValidate } from './validate.js';

export const COMMANDS: readonly RegisterCommand[] = [
  registerInit,
  registerValidate,
  registerCollect,
  registerLoad,
  registerK6,
];
