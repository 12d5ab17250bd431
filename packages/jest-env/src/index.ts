import { TestEnvironment as NodeEnvironment } from 'jest-environment-node';
import { withLooseEnds } from './environment.js';

/** Jest's Node environment with per-test leak detection: `testEnvironment: '@loose-ends/jest-env'`. */
export const TestEnvironment: typeof NodeEnvironment = withLooseEnds(NodeEnvironment);
export default TestEnvironment;

export type { JestEnvironmentClass, JestEnvironmentLike } from './environment.js';
export { PRAGMA, withLooseEnds } from './environment.js';
export { SUMMARY_DIR_VARIABLE } from './summary-store.js';
