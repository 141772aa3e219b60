/** @module cli: `codeblue report <run-dir>` — re-render a run's reports from its results.json. */
import { statSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { EXIT } from '../../core/index.js';
import { REPORT_FORMATS, loadRunResults, parseFormats, writeReports } from '../../reports/index.js';
import type { RegisterCommand } from '../context.js';
import { paint } from '../ui/output.js';

export const registerReport: RegisterCommand = (program, ctx) => {
  program
    .command('report')
    .description('re-render report.html, junit.xml, summary.md and results.json from a run folder\'s results.json (exit 0 the run passed, 1 it did not, 2 bad folder)')
    .argument('<run-dir>', 'a run folder (runs/<timestamp>-<plan>) or its results.json')
    .option('--format <list>', `comma-separated: ${REPORT_FORMATS.join(',')}`, REPORT_FORMATS.join(','))
    .action((runDir: string, opts: { format: string }) => {
      const formats = parseFormats(opts.format);
      const results = loadRunResults(runDir);
      const folder = statSync(runDir).isDirectory() ? runDir : dirname(runDir);
      const files = writeReports(folder, results, formats);
      const out = ctx.output();
      const p = paint(out.color);
      if (out.json) out.out(JSON.stringify({ status: results.meta.status, exitCode: results.meta.exitCode, files }));
      else {
        out.out(`    report  ${results.meta.name} · ${results.meta.runId} · ${results.meta.status === 'passed' ? p.ok('PASSED') : p.bad(results.meta.status.toUpperCase())}`);
        for (const f of files) {
          const rel = relative(ctx.terminal.cwd, f);
          out.out(`     wrote  ${rel.startsWith('..') ? f : rel}`);
        }
      }
      // design.md: every command exits 0 only when all SLOs and checks passed; a halted or interrupted run did not.
      ctx.setExitCode(results.meta.status === 'passed' ? EXIT.ok : EXIT.failed);
    });
};
