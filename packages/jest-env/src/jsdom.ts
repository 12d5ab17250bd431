import { TestEnvironment as JSDOMEnvironment } from 'jest-environment-jsdom';
import { withLooseEnds } from './environment.js';

/** Jest's jsdom environment with per-test leak detection: `testEnvironment: '@loose-ends/jest-env/jsdom'`. */
export const TestEnvironment: typeof JSDOMEnvironment = withLooseEnds(JSDOMEnvironment);
export default TestEnvironment;
