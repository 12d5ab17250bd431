import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/jsdom.ts', 'src/reporter.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  sourcemap: true,
  shims: true,
  external: ['jest-environment-node', 'jest-environment-jsdom'],
});
