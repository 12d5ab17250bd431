import type { LeakContext, LeakSummary, ResolvedOptions } from '@loose-ends/core';
import { emptySummary, resolveOptions } from '@loose-ends/core';
import type { MochaTest, RunnableFn } from './mocha-shapes.js';

/**
 * Everything the plugin remembers, kept once per process on `globalThis`: Mocha may load this
 * package twice (its CJS build through `--require`, its ESM build from a user's configure module),
 * and both copies must share one set of options, one summary and one set of patches (mocha-internals.ts marks what it patched).
 */
export interface PluginState {
  options: ResolvedOptions;
  /** Tests set up to run under their context (see `setUpTest`) and not yet checked. */
  readonly tests: WeakMap<MochaTest, LeakContext>;
  /** Module scope and before/after-all hooks of each spec file loaded in this run. */
  files: Map<string, LeakContext>;
  summary: LeakSummary;
  /** Directory where `--parallel` workers leave their part of the summary for the main process. */
  relayDirectory: string | undefined;
  /** Our own root hook functions, never wrapped, recognised in runner events. */
  readonly ownHooks: Set<RunnableFn>;
  /** Root suites that already have the final file-scope check (one root per run, per file under --parallel). */
  readonly preparedRoots: WeakSet<object>;
  /** Between global setup and teardown: only ever true in the main process, never in a `--parallel` worker. */
  runOpen: boolean;
  /** Our root `beforeAll` ran: Mocha loaded this package as a plugin, not just a spec importing it. */
  rootHooksRan: boolean;
}

const STATE_KEY = Symbol.for('loose-ends.mocha-hooks.state.v1');

export const DEFAULT_SOURCE = '@loose-ends/mocha-hooks (environment)';

export function getState(): PluginState {
  const holder = globalThis as unknown as Record<symbol, PluginState | undefined>;
  let state = holder[STATE_KEY];
  if (state === undefined) {
    state = {
      options: resolveOptions({}, DEFAULT_SOURCE),
      tests: new WeakMap(),
      files: new Map(),
      summary: emptySummary(),
      relayDirectory: undefined,
      ownHooks: new Set(),
      preparedRoots: new WeakSet(),
      runOpen: false,
      rootHooksRan: false,
    };
    holder[STATE_KEY] = state;
  }
  return state;
}
