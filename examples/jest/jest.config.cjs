/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '@loose-ends/jest-env',
  reporters: ['default', '@loose-ends/jest-env/reporter'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
};
