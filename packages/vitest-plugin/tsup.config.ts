import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

// Resolved from the user's project at run time: the setup file must share Vitest's own instance.
const external = ['vitest', 'vitest/node'];

export default defineConfig([
  // `dist` is emptied by the build script: two builds write into it at once.
  { ...packageBuild, clean: false, entry: ['src/index.ts'], external },
  // A Vitest setup file, so ESM only, like Vitest itself: it awaits Vitest's API at its top level.
  { ...packageBuild, clean: false, entry: ['src/setup.ts'], format: ['esm'], external },
]);
