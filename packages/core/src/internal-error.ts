let reported = false;

/**
 * A bug in loose-ends must never fail or stop the user's test run: say so once, loudly, and go on.
 */
export function reportInternalError(error: unknown, where: string): void {
  if (reported) return;
  reported = true;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(
    `\n[loose-ends] Internal error in ${where}. Leak detection may be incomplete for the rest of this run; ` +
      `your tests are unaffected.\nPlease file a bug against @loose-ends/core with the text below and your Node (${process.version}) and test-runner versions.\n${detail}\n\n`,
  );
}

/** For tests of the reporting itself. */
export function resetInternalErrorReport(): void {
  reported = false;
}
