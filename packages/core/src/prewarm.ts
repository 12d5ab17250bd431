import dns from 'node:dns';

/**
 * Process-wide handles Node creates lazily on first use (NOTES A5): stdout/stderr pipes or TTYs on
 * the first `console.log`, the DNS channel on the first `dns` use. Creating them now, outside any
 * test, keeps a clean test that happens to be the first to log or resolve from being blamed.
 */
export function prewarmSingletons(): void {
  void process.stdout;
  void process.stderr;
  void dns.lookup;
}
