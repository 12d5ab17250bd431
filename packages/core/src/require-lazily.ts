import { createRequire } from 'node:module';

/**
 * `require` for what only some runs need (report rendering, a forced GC): every test worker loads
 * core (Vitest starts one per test file), and each module imported up front is start-up time it
 * pays whether or not it ever reports a leak. Works from the ESM and the CJS build alike.
 */
export const requireLazily = createRequire(import.meta.url);
