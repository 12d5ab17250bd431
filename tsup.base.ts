import type { Options } from 'tsup';

/** What every package build shares: ESM + CJS + .d.ts for Node 20+, with source maps and `import.meta.url` shims. */
export const packageBuild: Options = {
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  sourcemap: true,
  // `import.meta.url` in the CJS build: each package locates itself (hidden frames, lazy requires).
  shims: true,
};
