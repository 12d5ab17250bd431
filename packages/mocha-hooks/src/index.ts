export type { LeakFilter, LeakRecord, LooseEndsOptions, Mode, ResourceKind } from '@loose-ends/core';
export { LooseEndsOptionsError } from '@loose-ends/core';
export { allowLeaks, leakAllowed } from './allow.js';
export type { MochaPlugin, MochaRootHooks } from './mocha-shapes.js';
export { ALLOW_LEAKS_TAG, configure, mochaGlobalSetup, mochaGlobalTeardown, mochaHooks } from './plugin.js';
