import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { leakSite } from '@loose-ends-fixtures/leak-site';
import { describeRun, FIXTURES, failureDetail, runMocha } from './run-mocha.js';

const project = path.join(FIXTURES, 'cjs');
const SPEC = 'extra/user-failures.spec.cjs';
/** `(extra/user-failures.spec.cjs:11:5)`: the frame of the call on the line of `// LEAK: <site>`. */
const frame = (site: string, call: string) => `(${leakSite(SPEC, site, { root: project, call })})`;
/** A frame of ours: the packages' files, installed or in this repository, or the storage run our wrapper calls. */
const OWN_FRAME =
  /^\s+at .*(?:@loose-ends[\\/]|packages[\\/](?:core|mocha-hooks)[\\/](?:src|dist)[\\/]|AsyncLocalStorage\.run)/m;

for (const mode of ['serially', 'with --parallel'] as const) {
  describe(`failure stacks show the user's frames and none of ours (${mode})`, () => {
    it('for tests that throw, reject, call done(error) or misuse the API, and for a failing hook', async () => {
      const parallel = mode === 'serially' ? [] : ['--parallel', '--jobs', '2'];
      const run = await runMocha(project, [
        '--no-config',
        '--require',
        '@loose-ends/mocha-hooks',
        SPEC,
        ...parallel,
        '--exit',
      ]);
      assert.doesNotMatch(run.details, OWN_FRAME, describeRun(run));
      const thrown = `at assertPositive ${frame('assert-positive', 'new Error')}`;
      // The failures that throw through assertPositive, and the frame of the call in the test or hook.
      const lines: [string, string][] = [
        ['throws synchronously', `at Context.<anonymous> ${frame('throws', 'assertPositive')}`],
        [
          'rejects before its first await',
          `at Context.<anonymous> ${frame('rejects-before-await', 'assertPositive')}`,
        ],
        [
          'rejects after an await',
          `at Context.<anonymous> ${frame('rejects-after-await', 'assertPositive')}`,
        ],
        ['passes an error to done', `at Context.<anonymous> ${frame('done-error', 'assertPositive')}`],
        ['"before each" hook', `at Context.<anonymous> ${frame('hook', 'assertPositive')}`],
      ];
      for (const [title, userFrame] of lines) {
        const detail = failureDetail(run, title);
        assert.ok(detail.includes(userFrame), `expected "${userFrame}" in:\n${detail}`);
        assert.ok(detail.includes(thrown), `expected "${thrown}" in:\n${detail}`);
      }
      const misuse = failureDetail(run, 'gives allowLeaks()');
      assert.match(misuse, /allowLeaks\(filter\) takes nothing/, misuse);
      assert.ok(misuse.includes(frame('bad-filter', 'allowLeaks')), misuse);
      assert.equal(run.totals.failing, lines.length + 1, describeRun(run));
    });
  });
}
