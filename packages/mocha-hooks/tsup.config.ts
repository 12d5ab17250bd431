import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  sourcemap: true,
  // `import.meta.url` in the CJS build (used to hide this package's frames from leak stacks).
  shims: true,
});
