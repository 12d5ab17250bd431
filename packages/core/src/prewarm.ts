/**
 * Process-wide handles Node creates lazily on first use (docs/internals.md): stdout/stderr pipes or TTYs on
 * the first `console.log`. Creating them now, outside any test, keeps a clean test that happens to
 * be the first to log from being blamed. (The DNS channel, created on the first `dns` use, is
 * ignored by type instead: loading `dns` here cost every test worker for nothing.)
 */
export function prewarmSingletons(): void {
  void process.stdout;
  void process.stderr;
}
