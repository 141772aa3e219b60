/**
 * @module reports/results: the `results.json` contract — everything every renderer needs, nothing measured here.
 * Every type is derived from the zod schema in `schema.ts` (the one source; field docs live there), deeply readonly.
 */
import type { z } from 'zod';
import type { DeepReadonly, JournalEntry } from '../../core/index.js';
import type * as s from './schema.js';

type Out<T extends z.ZodType> = DeepReadonly<z.output<T>>;

export type RunStatus = z.output<typeof s.runStatusSchema>;
export type VerdictKind = z.output<typeof s.verdictKindSchema>;
export type RunMeta = Out<typeof s.runMetaSchema>;
export type PhaseResult = Out<typeof s.phaseResultSchema>;
export type FaultWindow = Out<typeof s.faultWindowSchema>;
export type SeriesColumns = Out<typeof s.seriesColumnsSchema>;
export type ServiceColumns = Out<typeof s.serviceColumnsSchema>;
export type Timeline = Out<typeof s.timelineSchema>;
export type ServicePhaseRow = Out<typeof s.servicePhaseRowSchema>;
export type EndpointRow = Out<typeof s.endpointRowSchema>;
export type PhaseTable = Out<typeof s.phaseTableSchema>;
export type Verdict = Out<typeof s.verdictSchema>;
export type SloScopeResult = Out<typeof s.sloScopeResultSchema>;
export type BurnAlert = Out<typeof s.burnAlertSchema>;
export type ErrorBudget = Out<typeof s.errorBudgetSchema>;
export type SloResult = Out<typeof s.sloResultSchema>;
export type Health = Out<typeof s.healthSchema>;
export type FaultResilience = Out<typeof s.faultResilienceSchema>;
export type Resilience = Out<typeof s.resilienceSchema>;
export type PhiSection = Out<typeof s.phiSectionSchema>;
export type LedgerSection = Out<typeof s.ledgerSectionSchema>;
export type AttributionRow = Out<typeof s.attributionRowSchema>;
export type FaultAttribution = Out<typeof s.faultAttributionSchema>;
export type TraceWaterfallResult = Out<typeof s.traceWaterfallSchema>;
export type SpanSampling = Out<typeof s.spanSamplingSchema>;
export type ExemplarResult = Out<typeof s.exemplarSchema>;
export type EndpointExemplars = Out<typeof s.endpointExemplarsSchema>;
export type WindowExemplars = Out<typeof s.windowExemplarsSchema>;
export type Hl7Columns = Out<typeof s.hl7ColumnsSchema>;
export type Hl7Section = Out<typeof s.hl7SectionSchema>;
/** The whole of `results.json` (schemaVersion 1). */
export type RunResults = Out<typeof s.runResultsSchema>;

/** Compile-time guard: the schema's journal line and core's `JournalEntry` (what run/ writes) must stay the same shape. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
type JournalMatchesCore = Assert<Same<RunResults['journal'][number], JournalEntry>>;
