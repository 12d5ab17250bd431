import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig({
  ...packageBuild,
  entry: ['src/index.ts', 'src/setup.ts'],
  // import.meta.url in the CJS build: the plugin finds its setup module next to itself.
  shims: true,
  // Resolved from the user's project at run time: the setup file must share Vitest's own instance.
  external: ['vitest', 'vitest/node'],
});
