let reported = false;

/**
 * A bug in loose-ends must never fail or stop the user's test run: say so once, loudly, and go on.
 * `where` names the place (`the async_hooks init callback`, `the Jest event "test_done"`), `source`
 * the package to file the bug against; adapters report through here too, so a run says it once.
 */
export function reportInternalError(error: unknown, where: string, source = '@loose-ends/core'): void {
  if (reported) return;
  reported = true;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(
    `\nloose-ends: Internal error in ${where} (${source}). Leak detection may be incomplete for the rest of this run; ` +
      `your tests are unaffected.\nPlease file a bug against ${source} with the text below and your Node (${process.version}) and test-runner versions.\n${detail}\n\n`,
  );
}
