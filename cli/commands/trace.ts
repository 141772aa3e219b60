/** @module cli: `codeblue trace <run-dir> <traceId>` — one trace of a run as a waterfall with its critical path. */
import { EXIT } from '../../core/index.js';
import { readTrace } from '../../collectors/index.js';
import { renderTraceText } from '../../reports/index.js';
import type { RegisterCommand } from '../context.js';
import { paint } from '../ui/output.js';

export const registerTrace: RegisterCommand = (program, ctx) => {
  program
    .command('trace')
    .description('print one trace of a run as a waterfall, critical path marked (exit 2: no such folder or trace)')
    .argument('<run-dir>', 'a run folder (runs/<timestamp>-<plan>) or a `codeblue collect --out` folder: its spans-NNNN.ndjson.gz (or spans.ndjson) files are read')
    .argument('<traceId>', '32 hex digits, from report.html or results.json (a trace the run kept: collectors.spans)')
    .action(async (runDir: string, traceId: string) => {
      const waterfall = await readTrace(runDir, traceId);
      const out = ctx.output();
      if (out.json) out.out(JSON.stringify(waterfall));
      else for (const line of renderTraceText(waterfall, { columns: ctx.terminal.columns(), paint: paint(out.color) })) out.out(line);
      ctx.setExitCode(EXIT.ok);
    });
};
