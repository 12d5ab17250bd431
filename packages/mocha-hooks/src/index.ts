export type { LeakFilter, LeakRecord, LooseEndsOptions, Mode } from '@loose-ends/core';
export { allowLeaks, LooseEndsOptionsError, leakAllowed } from '@loose-ends/core';
export type { MochaPlugin, MochaRootHooks } from './mocha-shapes.js';
export { ALLOW_LEAKS_TAG, configure, mochaGlobalSetup, mochaGlobalTeardown, mochaHooks } from './plugin.js';
