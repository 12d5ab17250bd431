import path from 'node:path';
import type { CheckResult } from './engine.js';
import type { ResourceKind } from './kinds.js';
import type { LeakRecord } from './record.js';

/**
 * One leak as the report file lists it (report-schema.json), built where the test ran. Paths are
 * still absolute here: only the process that writes the file knows the root they are relative to.
 */
export interface ReportedLeak {
  /** Describe titles, then the test's own; empty for a file's module scope and before-all hooks. */
  readonly test: readonly string[];
  readonly scope: 'test' | 'file';
  readonly file: string | null;
  /** Where in the test it was created: `test`, `beforeEach hook`, `module scope`… */
  readonly phase: string;
  readonly kind: ResourceKind;
  /** The async_hooks type, e.g. `Timeout`, `TCPSERVERWRAP`. */
  readonly type: string;
  readonly description: string;
  /** What is still going on: `an interval is still scheduled`. */
  readonly still: string;
  readonly hint: string;
  /** Whether it keeps the event loop alive; null for kinds that cannot tell. */
  readonly refed: boolean | null;
  readonly location: { readonly file: string; readonly line: number; readonly column: number } | null;
  readonly stack: string;
  /** Allowed by the test itself (`allowLeaks`, a tag or title): listed, but neither counted nor failed. */
  readonly allowed: boolean;
}

/** Every leak of one check, reported and allowed alike. */
export function reportedLeaksOf(
  result: Pick<CheckResult, 'kind' | 'titlePath' | 'file' | 'leaks' | 'allowed'>,
): ReportedLeak[] {
  const scope = result.kind === 'file' ? 'file' : 'test';
  const test = scope === 'file' ? [] : [...result.titlePath];
  const entry = (leak: LeakRecord, allowed: boolean): ReportedLeak => ({
    test,
    scope,
    file: result.file ?? leak.file ?? null,
    phase: leak.phase,
    kind: leak.kind,
    type: leak.type,
    description: leak.description,
    still: leak.still,
    hint: leak.hint,
    refed: leak.refed ?? null,
    // Stack parsing leaves paths inside the working directory relative to it.
    location:
      leak.location === undefined ? null : { ...leak.location, file: path.resolve(leak.location.file) },
    stack: leak.stack,
    allowed,
  });
  return [
    ...result.leaks.map((leak) => entry(leak, false)),
    ...result.allowed.map((leak) => entry(leak, true)),
  ];
}
