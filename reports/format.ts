/** @module reports: number and duration wording shared by evaluation sentences and every renderer. */

/** `0.0046` → `0.46 %`; keeps enough digits for small shares (`0.0005` → `0.05 %`). */
export function pct(ratio: number, digits = 2): string {
  const value = ratio * 100;
  const shown = value !== 0 && Math.abs(value) < 10 ** -digits ? Number(value.toPrecision(2)) : Number(value.toFixed(digits));
  return `${shown} %`;
}

/** An objective as people write it: 0.9995 → `99.95 %`. */
export function objectiveText(objective: number): string {
  return `${Number((objective * 100).toFixed(4))} %`;
}

/** Milliseconds for people: `850 ms`, `6.2 s`, `21.6 min`, `9 h`, `2 d 2 h`. */
export function humanDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '∞';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${trim(ms / 1000, 1)} s`;
  if (ms < 3_600_000) return `${trim(ms / 60_000, 1)} min`;
  if (ms < 86_400_000) {
    const h = Math.floor(ms / 3_600_000);
    const m = Math.round((ms % 3_600_000) / 60_000);
    return m === 0 ? `${h} h` : m === 60 ? `${h + 1} h` : `${h} h ${m} min`;
  }
  const d = Math.floor(ms / 86_400_000);
  const h = Math.round((ms % 86_400_000) / 3_600_000);
  return h === 0 ? `${d} d` : h === 24 ? `${d + 1} d` : `${d} d ${h} h`;
}

/** A window the way SLOs name it: 30d, 6h, 5m. */
export function windowText(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}-day`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}-hour`;
  if (ms % 60_000 === 0) return `${ms / 60_000}-minute`;
  return humanDuration(ms);
}

/** Run offset as mm:ss (or h:mm:ss): core's one rule. */
export { formatClock as clock } from '../core/index.js';

/** Latency in ms with sensible precision; `–` for null. */
export function ms(value: number | null): string {
  if (value === null) return '–';
  return value >= 100 ? `${Math.round(value)} ms` : `${trim(value, 1)} ms`;
}

const trim = (n: number, digits: number): string => String(Number(n.toFixed(digits)));

/** Counts with thousands separators: 10008000 → `10,008,000`. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A difference of two ratios in percentage points, signed: 0.0211 → `+2.11 pp`. */
export function pp(delta: number): string {
  return `${delta >= 0 ? '+' : '−'}${Number(Math.abs(delta * 100).toFixed(2))} pp`;
}
