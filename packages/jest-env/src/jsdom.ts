import type * as JSDOMEnvironmentModule from 'jest-environment-jsdom';
import { withLooseEnds } from './environment.js';
import { requirePeer } from './peer.js';

const { TestEnvironment: JSDOMEnvironment } = requirePeer<typeof JSDOMEnvironmentModule>(
  'jest-environment-jsdom',
  '@loose-ends/jest-env/jsdom',
);

/** Jest's jsdom environment with per-test leak detection: `testEnvironment: '@loose-ends/jest-env/jsdom'`. */
export const TestEnvironment: typeof JSDOMEnvironment = withLooseEnds(JSDOMEnvironment);
export default TestEnvironment;
