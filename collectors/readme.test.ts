/** @module collectors: the README's metric table lists exactly the catalogue (dashboards build PromQL from both). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METRIC_CATALOGUE } from '../core/metric-catalogue.js';

describe('collectors/README.md', () => {
  it('documents every catalogued metric with its type and labels, and no other', () => {
    const text = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const rows = [...text.matchAll(/^\| `((?:k6|codeblue)_[a-z0-9_]+)` \| (\w+) \| ([^|]+) \|/gm)].map((m) => ({
      name: m[1], type: m[2], labels: (m[3] as string).trim() === '—' ? [] : (m[3] as string).split(',').map((l) => l.trim().replace(/`/g, '')),
    }));
    expect(rows).toEqual(METRIC_CATALOGUE.map((m) => ({ name: m.name, type: m.type, labels: [...m.labels] })));
  });
});
