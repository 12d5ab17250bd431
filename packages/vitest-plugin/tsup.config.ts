import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/setup.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  sourcemap: true,
  // import.meta.url in the CJS build: the plugin finds its setup module next to itself.
  shims: true,
  // Resolved from the user's project at run time: the setup file must share Vitest's own instance.
  external: ['vitest', 'vitest/node'],
});
