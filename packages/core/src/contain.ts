import type { Entry } from './hook.js';
import { KINDS } from './kinds.js';
import type { NodeResource } from './node-handles.js';
import { ownerOf } from './node-handles.js';

/**
 * What happens to reported leaks (option `contain`): `close` takes them out of the run (cleared,
 * closed, destroyed, terminated, killed), so they cannot run into later tests or keep the runner
 * from exiting; `unref` lets the process exit without closing anything; `none` leaves them be.
 */
export type ContainPolicy = 'close' | 'unref' | 'none';

export const CONTAIN_POLICIES: readonly ContainPolicy[] = ['close', 'unref', 'none'];

/**
 * Applies `policy` to each leaked resource, all at once, and waits for what takes time (a child
 * process to exit). Never throws: a resource that cannot be closed is returned as a sentence for
 * the report, and the run goes on.
 */
export async function contain(entries: readonly Entry[], policy: ContainPolicy): Promise<string[]> {
  if (policy === 'none') return [];
  const failures: string[] = [];
  const failed = (entry: Entry) => (error: unknown) => {
    failures.push(`${entry.type}: ${error instanceof Error ? error.message : String(error)}`);
  };
  const closing: Promise<void>[] = [];
  for (const entry of entries) {
    const resource = entry.resource.deref();
    if (resource === undefined) continue;
    try {
      if (policy === 'unref') unref(resource);
      else {
        const done = KINDS[entry.kind].close?.(resource);
        if (done !== undefined) closing.push(done.catch(failed(entry)));
      }
    } catch (error) {
      failed(entry)(error);
    }
  }
  await Promise.all(closing);
  return failures;
}

/** A child process's stdio pipes are handles of their own: they are unref'd with it. */
function unref(resource: NodeResource): void {
  const target = ownerOf(resource) ?? resource;
  target.unref?.();
  for (const stream of target.stdio ?? []) stream?.unref?.();
}
