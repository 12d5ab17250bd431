import type { CheckResult, Engine, LeakContext } from '../src/index.js';
import { getEngine, type LooseEndsOptions, resolveOptions } from '../src/index.js';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** This thread's engine with detection started, as an adapter leaves it (default options). */
export function detectingEngine(): Engine {
  const engine = getEngine();
  engine.applySettings(resolveOptions({}, 'test options', {}));
  return engine;
}

export interface Scenario {
  result: CheckResult;
  ctx: LeakContext;
}

/**
 * Runs `body` as a test named `title`, checks it, then runs whatever cleanup `body` returned so the
 * leak does not outlive this test file. Leaks are left to that cleanup (`contain: 'none'`) unless
 * the options say otherwise.
 */
export async function runAsTest(
  title: string,
  body: () => unknown,
  options: LooseEndsOptions = {},
): Promise<Scenario> {
  const engine = getEngine();
  const resolved = resolveOptions({ contain: 'none', ...options }, 'test options', {});
  engine.applySettings(resolved);
  const ctx = engine.createContext({ title, file: 'test' });
  const cleanup = await engine.run(ctx, body);
  const result = await engine.check(ctx, resolved);
  if (typeof cleanup === 'function') await engine.runOutside(cleanup as () => unknown);
  return { result, ctx };
}

export function kinds(result: CheckResult): string[] {
  return result.leaks.map((leak) => leak.kind).sort();
}
