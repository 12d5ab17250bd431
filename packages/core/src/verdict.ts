/**
 * What an adapter does with a check's result, the same in every runner: fail the test (or file)
 * with `failure` the way its runner fails one, or show `warning` (mode `warn`) where its runner
 * shows a test's output. Neither for a clean or allowed result.
 */
export interface Verdict {
  readonly failure?: Error;
  readonly warning?: string;
}

export function verdictOf(result: { readonly error?: Error; readonly shouldFail: boolean }): Verdict {
  if (result.error === undefined) return {};
  if (result.shouldFail) return { failure: result.error };
  return { warning: `loose-ends: warning: ${result.error.message}` };
}
