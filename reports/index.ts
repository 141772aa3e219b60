/** @module reports: SLO evaluation, error budget and burn rate, resilience score, renderers, run comparison. */
export { evaluateRun, exitCodeFor, gatesRun, startEvaluation } from './evaluate/evaluate-run.js';
export type { RunEvaluation } from './evaluate/evaluate-run.js';
export { addSpanAnalysis } from './evaluate/span-analysis.js';
export type { SpanAnalysisInput } from './evaluate/span-analysis.js';
export type {
  CheckOutcome, ExemplarFilter, FaultInput, HypothesisOutcome, LatencyQuery, LedgerOutcome, LoadFilter, LoadQuery, PhaseInput,
  RunEvaluationInput, SecondFilter, SecondRow, ServiceSecondRow, ThresholdInput, WindowStats,
} from './evaluate/input.js';
export { ALERT_WINDOWS } from './evaluate/burn.js';
export { RECOVERY, SCORE } from './evaluate/resilience.js';
export { attributionWindows } from './evaluate/attribution.js';
export { faultWindows } from './evaluate/scopes.js';

export { WRITERS, REPORT_FORMATS, parseFormats, writeReports } from './writers/index.js';
/** The HTML report's parts (styles, charts, sections), so the live control room looks the same. */
export { renderCharts } from './writers/html.js';
export type { ChartInput } from './writers/html.js';
export { CSS as REPORT_CSS } from './writers/html/style.js';
export { banner as reportBanner, findingsSection as reportFindings, sloSection as reportSloSection, tiles as reportTiles, verdictSection as reportVerdictSection } from './writers/html/sections.js';
export { GEOMETRY as CHART_GEOMETRY, xOf as chartX } from './writers/html/svg-chart.js';
export type { ReportFormat, ReportWriter } from './writers/index.js';

export { runResultsSchema, resultsJsonSchema } from './results/schema.js';
export { checkResults, assertResults } from './results/validate.js';
export { loadRunResults } from './results/load.js';
export type {
  AttributionRow, BurnAlert, EndpointRow, FaultAttribution, TraceWaterfallResult, ErrorBudget, FaultResilience, FaultWindow, PhaseTable, Resilience, RunMeta, RunResults, RunStatus,
  SloResult, SloScopeResult, Timeline, Verdict, VerdictKind,
} from './results/types.js';

export { compareRuns, FLOORS, DEFAULT_CONFIDENCE } from './compare/compare.js';
export type { Change, ChangeKind, Comparison, CompareOptions, Evidence } from './compare/compare.js';
export { latencyCountsOf, loadLatencyCounts } from './compare/histograms.js';
export type { EndpointWindow, LatencyCounts } from './compare/histograms.js';
export { renderComparison } from './compare/render.js';
export { renderTraceText } from './trace/render-text.js';
export type { TracePaint } from './trace/render-text.js';

export { sloSchema } from './slo/schema.js';
export type { SloSpec } from './slo/schema.js';

/** @internal test data and benchmark input: a LoadQuery over real HDR histograms, and a synthetic game day. */
export { createHistogramLoad } from './testing/histogram-load.js';
export { sampleRunInput } from './testing/sample-run.js';
