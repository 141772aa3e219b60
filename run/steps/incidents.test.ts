/** @module run/steps: an incident is journaled and shown the moment it is noted, with the error's own words. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deferredClock } from '../../core/index.js';
import { createJournal } from '../../chaos/index.js';
import type { RunEvent } from '../events.js';
import { createIncidentLog } from './incidents.js';

const dir = mkdtempSync(join(tmpdir(), 'cb-incidents-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createIncidentLog', () => {
  it('writes an incident line to the journal and emits an incident event, keeping every message', () => {
    const journal = createJournal(join(dir, 'journal.ndjson'));
    const events: RunEvent[] = [];
    const log = createIncidentLog(journal, deferredClock(), (e) => events.push(e));
    log.note('scanning the spans for PHI', Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
    log.note('spans were still arriving');
    const lines = readFileSync(journal.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; outcome: string; reason: string });
    expect(lines.map((l) => [l.action, l.outcome, l.reason])).toEqual([
      ['incident', 'error', 'scanning the spans for PHI: ENOSPC: no space left on device'],
      ['incident', 'error', 'spans were still arriving'],
    ]);
    expect(events).toEqual([
      { type: 'incident', message: 'scanning the spans for PHI: ENOSPC: no space left on device' },
      { type: 'incident', message: 'spans were still arriving' },
    ]);
    expect(log.list()).toHaveLength(2);
  });
});
