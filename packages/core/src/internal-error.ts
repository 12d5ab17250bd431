let reported = 0;

/**
 * A bug in loose-ends must never fail or stop the user's test run: say so loudly, and go on.
 * `where` names the place (`the async_hooks init callback`, `the Jest event "test_done"`), `source`
 * the package to file the bug against; adapters report through here too. The first error of a
 * process is printed in full; the others are counted, and the count is printed when it exits, so
 * none goes unsaid and a bug that fires per resource does not flood the output.
 */
export function reportInternalError(error: unknown, where: string, source = '@loose-ends/core'): void {
  reported++;
  if (reported > 1) return;
  process.once('exit', sayHowManyMore);
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(
    `\nloose-ends: Internal error in ${where} (${source}). Leak detection may be incomplete for the rest of this run; ` +
      `your tests are unaffected.\nPlease file a bug against ${source} with the text below and your Node (${process.version}) and test-runner versions.\n${detail}\n\n`,
  );
}

function sayHowManyMore(): void {
  if (reported > 1) {
    process.stderr.write(
      `loose-ends: ${reported - 1} more internal error(s) in this process after the first one above.\n`,
    );
  }
}
