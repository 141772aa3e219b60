/** @module plan: renders docs/plan.md from the plan's keys (the schema) and their notes (plan/reference-notes.ts). */
import { NOTES, type Note } from './reference-notes.js';
import { introSection, topicSections } from './reference-sections.js';
import { planJsonSchema, referenceRows, type ReferenceRow } from './reference.js';

/** Where the prose of each key lives, for messages that tell a contributor what to edit. */
export const NOTES_FILE = 'plan/reference-notes.ts';

/** Schema keys without a note, and notes for keys the schema no longer has. */
export function noteGaps(rows: readonly ReferenceRow[], notes: Readonly<Record<string, Note>> = NOTES): { missing: string[]; stale: string[] } {
  const paths = new Set(rows.map((r) => r.path));
  return { missing: rows.map((r) => r.path).filter((p) => notes[p] === undefined), stale: Object.keys(notes).filter((p) => !paths.has(p)) };
}

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (text: string): string => `\`${text.replaceAll('`', "'")}\``;

function rowLine(row: ReferenceRow, note: Note | undefined): string {
  const [engine, text, example] = note ?? ['both', `TODO: add a note in ${NOTES_FILE}`];
  const depth = row.path.split(/\.|\[\]/).length - 1;
  const key = `${'&nbsp;&nbsp;'.repeat(Math.min(depth, 6))}${code(row.path)}`;
  const need = row.required ? '**required**' : row.default !== undefined ? code(row.default) : '—';
  const extra = [row.only ? `Only in ${row.only}.` : '', row.sameAs ? `Same shape as ${code(row.sameAs)}.` : '', example !== undefined ? `Example: ${code(example)}` : ''];
  return `| ${key} | ${cell(code(row.type))} | ${need} | ${engine} | ${cell([text, ...extra].filter(Boolean).join(' '))} |`;
}

/** The whole of docs/plan.md: intro, one table per top-level key, then the topic sections. */
export function renderPlanReference(rows: readonly ReferenceRow[] = referenceRows(), notes: Readonly<Record<string, Note>> = NOTES): string {
  const tops = [...new Set(rows.map((r) => r.path.split(/[.[]/)[0] as string))];
  const under = (top: string): ReferenceRow[] => rows.filter((r) => r.path === top || r.path.startsWith(`${top}.`) || r.path.startsWith(`${top}[`));
  // Top-level keys without children share one table; each other top-level key gets its own.
  const single = tops.filter((t) => under(t).length === 1);
  const groups: [string, ReferenceRow[]][] = [['top level', single.flatMap(under)], ...tops.filter((t) => !single.includes(t)).map((t): [string, ReferenceRow[]] => [t, under(t)])];
  const lines = [...introSection(), '## Keys', '', `Every key of the plan (${rows.length} paths), in schema order.`, ''];
  lines.push(groups.map(([title]) => `[${title}](#${title.replaceAll(' ', '-')})`).join(' · '), '');
  for (const [title, group] of groups) {
    lines.push(`### ${title}`, '', '| key | type | default | engine | what it does |', '| --- | --- | --- | --- | --- |');
    for (const row of group) lines.push(rowLine(row, notes[row.path]));
    lines.push('');
  }
  lines.push(...topicSections());
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The JSON Schema file shipped as plan/plan.schema.json (and printed by `codeblue schema`). */
export function renderPlanJsonSchema(): string {
  return `${JSON.stringify(planJsonSchema(), null, 2)}\n`;
}
