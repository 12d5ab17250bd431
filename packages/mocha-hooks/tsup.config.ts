import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig({
  ...packageBuild,
  entry: ['src/index.ts'],
  // `import.meta.url` in the CJS build (used to hide this package's frames from leak stacks).
  shims: true,
});
