// TypeScript specs through tsx; @loose-ends/mocha-hooks as a root hook plugin. No `exit: true`:
// the tests that leak on purpose are failed and their leftovers closed, so Mocha ends by itself.
module.exports = {
  'node-option': ['import=tsx'],
  require: ['@loose-ends/mocha-hooks'],
  spec: ['test/**/*.spec.ts'],
};
