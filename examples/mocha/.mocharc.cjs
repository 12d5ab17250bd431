// TypeScript specs through tsx; @loose-ends/mocha-hooks as a root hook plugin.
// `exit: true` only because some tests here leak on purpose: without it Mocha would wait for their
// intervals and servers forever — the very problem loose-ends points at, test by test.
module.exports = {
  'node-option': ['import=tsx'],
  require: ['@loose-ends/mocha-hooks'],
  spec: ['test/**/*.spec.ts'],
  exit: true,
};
