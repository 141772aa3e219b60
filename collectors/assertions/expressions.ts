/**
 * @module collectors/assertions: the small expression languages of trace assertions, after k6 thresholds —
 * `p(95)<300ms`, `max<1s`, `avg<=200` (ms) for durations, `>=1` for counts, `<0.01` / `<1%` for rates.
 */
import { parseDurationText } from '../../core/index.js';
import type { Comparison } from '../../core/threshold.js';
type DurationStat = 'avg' | 'min' | 'max' | 'med' | 'p';

export interface DurationExpression {
  readonly stat: DurationStat;
  /** Percentile for `p(N)`, 0..100. */
  readonly percentile?: number;
  readonly op: Comparison;
  readonly valueMs: number;
  readonly source: string;
}

export interface NumberExpression {
  readonly op: Comparison;
  readonly value: number;
  readonly source: string;
}

const OP = '(<=|>=|==|!=|<|>)';
const DURATION = new RegExp(`^\\s*(avg|min|max|med|p\\(\\s*(\\d+(?:\\.\\d+)?)\\s*\\))\\s*${OP}\\s*(\\S+)\\s*$`);
const NUMBER = new RegExp(`^\\s*${OP}\\s*(\\d+(?:\\.\\d+)?)\\s*(%?)\\s*$`);

/** `p(95)<300ms` → {stat:'p', percentile:95, op:'<', valueMs:300}; a bare number means ms (k6). Undefined if invalid. */
export function parseDurationExpression(text: string): DurationExpression | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const statText = m[1] as string;
  const raw = m[4] as string;
  const valueMs = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : parseDurationText(raw);
  if (valueMs === undefined) return undefined;
  const percentile = m[2] === undefined ? undefined : Number(m[2]);
  if (percentile !== undefined && percentile > 100) return undefined;
  const stat = (statText.startsWith('p(') ? 'p' : statText) as DurationStat;
  return { stat, ...(percentile === undefined ? {} : { percentile }), op: m[3] as Comparison, valueMs, source: text.trim() };
}

/** `>=1`, `==0`, `<10` → a comparison with an integer/decimal. Undefined if invalid. */
export function parseCountExpression(text: string): NumberExpression | undefined {
  const m = NUMBER.exec(text);
  if (!m || m[3] === '%') return undefined;
  return { op: m[1] as Comparison, value: Number(m[2]), source: text.trim() };
}

/** `<0.01` or `<1%` → a comparison with a ratio in [0, 1]. Undefined if invalid. */
export function parseRateExpression(text: string): NumberExpression | undefined {
  const m = NUMBER.exec(text);
  if (!m) return undefined;
  const value = m[3] === '%' ? Number(m[2]) / 100 : Number(m[2]);
  return value <= 1 ? { op: m[1] as Comparison, value, source: text.trim() } : undefined;
}

/** `/pattern/flags` → RegExp, anything else → undefined (an exact name). Throws on a bad pattern. */
export function spanNamePattern(text: string): RegExp | undefined {
  const m = /^\/(.*)\/([dgimsuvy]*)$/s.exec(text);
  return m ? new RegExp(m[1] as string, m[2]) : undefined;
}
