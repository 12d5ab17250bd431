import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig({
  ...packageBuild,
  entry: ['src/index.ts', 'src/setup.ts'],
  // Resolved from the user's project at run time: the setup file must share Vitest's own instance.
  external: ['vitest', 'vitest/node'],
});
