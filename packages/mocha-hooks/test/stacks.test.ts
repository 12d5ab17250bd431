import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { describeRun, FIXTURES, failureDetail, runMocha } from './run-mocha.js';

const project = path.join(FIXTURES, 'cjs');
const SPEC = 'extra/user-failures.spec.cjs';
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
      assert.equal(run.totals.failing, 6, describeRun(run));
      assert.doesNotMatch(run.details, OWN_FRAME, describeRun(run));
      const lines: [string, RegExp][] = [
        ['throws synchronously', /at Context\.<anonymous> \(extra\/user-failures\.spec\.cjs:11:5\)/],
        [
          'rejects before its first await',
          /at Context\.<anonymous> \(extra\/user-failures\.spec\.cjs:15:5\)/,
        ],
        ['rejects after an await', /at Context\.<anonymous> \(extra\/user-failures\.spec\.cjs:20:5\)/],
        ['passes an error to done', /at Context\.<anonymous> \(extra\/user-failures\.spec\.cjs:25:7\)/],
        [
          'gives allowLeaks()',
          /allowLeaks\(filter\) takes nothing[\s\S]*\(extra\/user-failures\.spec\.cjs:32:5\)/,
        ],
        ['"before each" hook', /at Context\.<anonymous> \(extra\/user-failures\.spec\.cjs:38:5\)/],
      ];
      for (const [title, userFrame] of lines) {
        const detail = failureDetail(run, title);
        assert.match(detail, userFrame, detail);
        if (!title.startsWith('gives'))
          assert.match(detail, /at assertPositive \(extra\/user-failures\.spec\.cjs:6:25\)/);
      }
    });
  });
}
