import { colorsFor } from './colors.js';
import type { LeakContext } from './context.js';
import { historyOf } from './context.js';
import { getEngine } from './engine.js';
import { isAlive } from './hook.js';
import type { LooseEndsOptions } from './options.js';
import { resolveOptions } from './options.js';
import type { LeakRecord } from './record.js';
import { toRecord } from './record.js';
import type { RenderOptions } from './report.js';
import { causalTree } from './report.js';

export interface TrackOptions extends Pick<LooseEndsOptions, 'reportUnref' | 'promises' | 'stackDepth'> {}

export interface SettleOptions {
  /** Give up after this many milliseconds and report what is still pending. */
  timeoutMs?: number;
  /** How often to look, in milliseconds (default 10). */
  pollMs?: number;
}

export interface SettleResult {
  /** Everything the function started has finished. */
  readonly settled: boolean;
  /** What was still pending when the wait ended. */
  readonly pending: readonly LeakRecord[];
}

export interface Tracking<T> {
  /** What the function returned (a promise stays a promise). */
  readonly result: T;
  readonly context: LeakContext;
  /** Resolves once everything the function started, directly or through callbacks, has finished. */
  settled(options?: SettleOptions): Promise<SettleResult>;
  /** What is still pending right now. */
  pending(): LeakRecord[];
  /** The tree of everything the function started, settled or not, with creation stacks. */
  tree(options?: RenderOptions): string;
}

/**
 * Runs `fn` under `label` and keeps track of the async work it starts: for a REPL or notebook that
 * evaluates user code, or a CLI that waits for background work before exiting.
 */
export function track<T>(label: string, fn: () => T, options: TrackOptions = {}): Tracking<T> {
  if (typeof label !== 'string' || label.length === 0) {
    throw new TypeError(
      'loose-ends: track(label, fn) needs a non-empty string label, e.g. track("cell 3", run).',
    );
  }
  if (typeof fn !== 'function') throw new TypeError('loose-ends: track(label, fn) needs a function to run.');
  const resolved = resolveOptions({ ...options, gc: false }, 'track() options', {});
  const engine = getEngine();
  engine.applySettings(resolved);
  const context = engine.createContext({ kind: 'task', title: label });
  const result = engine.run(context, fn);
  return {
    result,
    context,
    pending: () => engine.pending(context, resolved),
    async settled({ timeoutMs = Number.POSITIVE_INFINITY, pollMs = 10 } = {}) {
      const deadline = performance.now() + timeoutMs;
      return engine.runOutside(async () => {
        for (;;) {
          const pending = engine.pending(context, resolved);
          if (pending.length === 0) return { settled: true, pending };
          if (performance.now() >= deadline) return { settled: false, pending };
          await new Promise((resolve) =>
            setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - performance.now()))),
          );
        }
      });
    },
    tree: (render = {}) => renderHistory(context, resolved.stackDepth, render),
  };
}

function renderHistory(context: LeakContext, stackDepth: number, render: RenderOptions): string {
  const colors = colorsFor(render.colors);
  const now = performance.now();
  const entries = (historyOf(context) ?? []).map((item) => item.entry).filter((entry) => !entry.parentOnly);
  const pendingIds = new Set(entries.filter(isAlive).map((entry) => entry.asyncId));
  const records = entries.map((entry) => toRecord(entry, stackDepth, now));
  const lines = [`${context.title}: started ${records.length}, ${pendingIds.size} still pending`];
  const walk = (nodes: ReturnType<typeof causalTree>, depth: number): void => {
    for (const { leak, children } of nodes) {
      const pending = pendingIds.has(leak.asyncId);
      const mark = pending ? colors.red('pending') : colors.green('settled');
      const where = leak.where === undefined ? '' : ` ${colors.dim('at')} ${colors.cyan(leak.where)}`;
      lines.push(`${'  '.repeat(depth + 1)}${mark} ${leak.description}${where}`);
      if (render.stacks && leak.stack.length > 0) {
        lines.push(leak.stack.replace(/^ +/gm, `${'  '.repeat(depth + 3)}`));
      }
      walk(children, depth + 1);
    }
  };
  walk(causalTree(records), 0);
  return lines.join('\n');
}
