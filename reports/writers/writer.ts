/** @module reports/writers: what a renderer is — pure RunResults → file contents. */
import type { RunResults } from '../results/types.js';

export type ReportFormat = 'json' | 'html' | 'junit' | 'markdown';

export interface ReportWriter {
  readonly format: ReportFormat;
  /** File name inside the run folder. */
  readonly file: string;
  render(results: RunResults): string;
}
