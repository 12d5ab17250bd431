// The public API of @loose-ends/core, in one place; each name is documented where it is defined.
// - Test code: `allowLeaks`, `leakAllowed`, the options and the leak types (each adapter re-exports them).
// - Code outside any runner: `track`.
// - Adapters, in the order a run uses them: `getEngine` and `resolveOptions`; `createFileContext`
//   and `createTestContext`; `bindToContext`/`bindToPhase` around the runner's functions;
//   `engine.check` and `verdictOf`; `tallyOf`/`addRetried` and the summary relay; `finishRun`.
//   docs/internals.md says what each adapter relies on in its runner.
export type { LeakFilter } from './allow.js';
export { allowLeaks, leakAllowed } from './allow.js';
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
// A path as messages show it: relative to the working directory when under it.
export { displayPath } from './paths.js';
export type { LeakRecord } from './record.js';
export type { RenderOptions } from './report.js';
export { AsyncLeakError, renderLeaks } from './report.js';
export type { ReportDocument, RunInfo } from './report-file.js';
export type { ReportedLeak } from './reported-leak.js';
export type { RunEnd } from './run-end.js';
export { finishRun } from './run-end.js';
export { createFileContext, createTestContext } from './runner-contexts.js';
export type { RuntimeSupport } from './runtime.js';
export { sayOnce } from './say-once.js';
export type { SourceLocation } from './stack.js';
export { hidePackageFrames } from './stack.js';
export { didYouMean } from './suggest.js';
export type { LeakSummary } from './summary.js';
export { addToSummary, emptySummary, mergeSummaries } from './summary.js';
export {
  closeSummaryRelay,
  collectRelayedSummaries,
  openSummaryRelay,
  relaySummary,
} from './summary-relay.js';
export { addRetried, tallyOf } from './tally.js';
export type { SettleOptions, SettleResult, Tracking, TrackOptions } from './tracker.js';
export { track } from './tracker.js';
export type { Verdict } from './verdict.js';
export { verdictOf } from './verdict.js';
export { bindToContext, bindToPhase, isBound, unwrap } from './wrap.js';
