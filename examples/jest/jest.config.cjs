/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '@loose-ends/jest-env',
  reporters: ['default', '@loose-ends/jest-env/reporter'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // The leaky tests really leave work running; without this, Jest would wait for it forever.
  // loose-ends has already named every one of them by then.
  forceExit: true,
};
