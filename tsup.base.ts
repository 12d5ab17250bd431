import type { Options } from 'tsup';

/** The CJS build's `import.meta.url`, set by a banner line (see `packageBuild`). */
const IMPORT_META_URL = '__looseEndsImportMetaUrl';

/**
 * What every package build shares: ESM + CJS + .d.ts for Node 20+, with source maps that point at
 * the shipped `src` (each package's `files` lists it).
 */
export const packageBuild: Options = {
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  sourcemap: true,
  // `import.meta.url` in the CJS build: each package locates itself (hidden frames, lazy requires).
  // A banner, not tsup's `shims`: the shim is a file inside tsup's own install, so every CJS source
  // map would name a path of the machine that built it. The banner comes before esbuild's own
  // "use strict", so it repeats the directive: a directive only counts as the file's first statement.
  banner: ({ format }) =>
    format === 'cjs'
      ? {
          js: `'use strict';\nconst ${IMPORT_META_URL} = require('node:url').pathToFileURL(__filename).href;`,
        }
      : undefined,
  esbuildOptions(options, { format }) {
    if (format === 'cjs') options.define = { ...options.define, 'import.meta.url': IMPORT_META_URL };
  },
};
