#!/usr/bin/env node
// codeblue runs its TypeScript directly through tsx: no build step after `npm install`.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
