import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { leakSite } from '@loose-ends-fixtures/leak-site';
import type { AssertionResult, VitestRun } from './helpers.js';
import { describeRun, FIXTURES, runVitest, VITEST_PACKAGE } from './helpers.js';

const FIXTURE = 'basic';
const at = (file: string, site: string, call?: string) =>
  leakSite(file, site, { root: path.join(FIXTURES, FIXTURE), call });

describe(`describe bodies and misuse errors (${VITEST_PACKAGE}, Node ${process.versions.node})`, () => {
  let run: VitestRun;
  before(() => {
    run = runVitest(FIXTURE, ['--config', 'vitest.scopes.config.js']);
  });

  test('work a describe body starts and nothing stops is reported for its file; its tests pass', () => {
    const file = run.files.find((f) => f.name.endsWith('describe-body.test.js'));
    assert.ok(file, describeRun(run));
    assert.equal(file.status, 'failed', describeRun(run));
    assert.match(
      file.message,
      /of scopes\/describe-body\.test\.js left 2 async tasks running: 1 server, 1 socket\./,
    );
    const where = at('scopes/describe-body.test.js', 'describe-body');
    assert.ok(file.message.includes(`Created in the module scope at ${where}:`), file.message);
    // One server only: the one the other describe body started is closed by its afterAll.
    assert.equal(file.message.match(/http\.Server listening/g)?.length, 1, file.message);
    for (const title of ['clean: uses the server', 'clean: uses the server closed in afterAll']) {
      const result: AssertionResult | undefined = file.assertionResults.find(
        (entry) => entry.title === title,
      );
      assert.equal(result?.status, 'passed', describeRun(run));
    }
  });

  test('work a describe body starts and its afterAll stops is not reported', () => {
    const file = run.files.find((f) => f.name.endsWith('describe-clean.test.js'));
    assert.equal(file?.status, 'passed', describeRun(run));
  });

  test("a misuse error is shown from the user's call, with no frame of ours", () => {
    const result = run.tests.get('gives allowLeaks() a filter it does not take');
    assert.equal(result?.status, 'failed', describeRun(run));
    const message = result.failureMessages.join('\n');
    assert.match(message, /allowLeaks\(filter\) takes nothing/);
    const where = at('scopes/misuse.test.js', 'misuse', 'allowLeaks');
    assert.match(message, new RegExp(`^\\s+at .*${where.replace(/[.]/g, '\\.')}`, 'm'), message);
    assert.doesNotMatch(
      message,
      /@loose-ends[\\/]|packages[\\/](?:core|vitest-plugin)[\\/](?:src|dist)[\\/]/,
      message,
    );
    assert.doesNotMatch(run.output, /(?:core|vitest-plugin)[\\/](?:src|dist)[\\/]/, describeRun(run));
  });

  test('the summary line counts the file', () => {
    assert.match(
      run.output,
      /loose-ends: 1 test file \(module scope or before-all hooks\), none of the 4 tests, left 2 async tasks running \(1 server, 1 socket\)\./,
      describeRun(run),
    );
  });
});
