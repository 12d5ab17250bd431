import type * as NodeEnvironmentModule from 'jest-environment-node';
import { withLooseEnds } from './environment.js';
import { requirePeer } from './peer.js';

const { TestEnvironment: NodeEnvironment } = requirePeer<typeof NodeEnvironmentModule>(
  'jest-environment-node',
  '@loose-ends/jest-env',
);

/** Jest's Node environment with per-test leak detection: `testEnvironment: '@loose-ends/jest-env'`. */
export const TestEnvironment: typeof NodeEnvironment = withLooseEnds(NodeEnvironment);
export default TestEnvironment;

export type { LeakFilter, LeakRecord, LooseEndsOptions, Mode, ResourceKind } from '@loose-ends/core';
export { allowLeaks, LooseEndsOptionsError, leakAllowed } from '@loose-ends/core';
export type { JestEnvironmentClass, JestEnvironmentLike } from './environment.js';
export { withLooseEnds } from './environment.js';
