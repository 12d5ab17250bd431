export type { LeakFilter } from './allow.js';
export { allowLeaks, allowLeaksIn, leakAllowed } from './allow.js';
export type { ContextInit, ContextKind, LeakContext, Scope } from './context.js';
export type { CheckResult, CheckStatus } from './engine.js';
export { Engine, getEngine } from './engine.js';
export { reportInternalError } from './internal-error.js';
export type { KindOrTypeName, KindTypeName, ResourceKind } from './kinds.js';
export { RESOURCE_KINDS } from './kinds.js';
export { lateLogNote, tagLateLogs } from './late-work.js';
export type { LooseEndsOptions, Mode, ResolvedOptions } from './options.js';
export {
  DEFAULT_OPTIONS,
  LooseEndsOptionsError,
  MODE_ENV_VARIABLE,
  REPORT_FILE_ENV_VARIABLE,
  resolveOptions,
} from './options.js';
export { dropOwnFrames } from './own-frames.js';
export { displayPath } from './paths.js';
export type { LeakRecord } from './record.js';
export type { RenderOptions } from './report.js';
export { AsyncLeakError, countByKind, renderLeaks } from './report.js';
export type { ReportDocument, RunInfo } from './report-file.js';
export { buildReport, REPORT_SCHEMA_VERSION, writeReportFile } from './report-file.js';
export type { ReportedLeak } from './reported-leak.js';
export type { RuntimeSupport } from './runtime.js';
export { detectRuntime, warnUnsupported } from './runtime.js';
export type { SourceLocation } from './stack.js';
export { hideFramesFrom } from './stack.js';
export { didYouMean } from './suggest.js';
export type { LeakSummary } from './summary.js';
export { addRetriedAttempt, addToSummary, emptySummary, formatSummary, mergeSummaries } from './summary.js';
export {
  closeSummaryRelay,
  collectRelayedSummaries,
  openSummaryRelay,
  relaySummary,
} from './summary-relay.js';
export type { SettleOptions, SettleResult, Tracking, TrackOptions } from './tracker.js';
export { track } from './tracker.js';
export type { Verdict } from './verdict.js';
export { verdictOf } from './verdict.js';
export { bindToContext, bindToPhase, isBound, unwrap } from './wrap.js';
