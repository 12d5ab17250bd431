import { looseEnds } from '@loose-ends/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [looseEnds()],
});
