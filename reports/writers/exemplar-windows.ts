/** @module reports/writers: which exemplar windows the reports show — each fault window, or the whole run without faults. */
import type { RunResults, WindowExemplars } from '../results/types.js';

/** Fault windows in run order; the whole run when the plan has no faults; none when results.json has no exemplars. */
export function exemplarWindows(r: RunResults): WindowExemplars[] {
  const all = r.exemplars ?? {};
  const faults = r.faults.map((f) => all[`fault:${f.name}`]).filter((w): w is WindowExemplars => w !== undefined);
  if (faults.length) return faults;
  return all.run ? [all.run] : [];
}
