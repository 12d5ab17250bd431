import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig({
  ...packageBuild,
  entry: ['src/index.ts', 'src/jsdom.ts', 'src/reporter.ts'],
  external: ['jest-environment-node', 'jest-environment-jsdom'],
});
