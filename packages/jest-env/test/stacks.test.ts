import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { leakSite } from '@loose-ends-fixtures/leak-site';
import { fixturesDirectory, runJest } from './run-jest.js';

/** A frame of ours: the packages' files, installed or in this repository, or the storage run our wrapper calls. */
const OWN_FRAME =
  /^\s+at .*(?:@loose-ends[\\/]|packages[\\/](?:core|jest-env)[\\/](?:src|dist)[\\/]|AsyncLocalStorage\.run)/m;

describe("failure stacks show the user's frames and none of ours", () => {
  test('for tests that throw, reject, call done(error) or misuse the API, and for a failing hook', () => {
    const run = runJest('jest-contain', ['tests/user-failures.test.js']);
    assert.equal(run.status, 1, run.output);
    // Each names the line of the test's `// LEAK: <site>`, where it failed.
    const expected: [string, string][] = [
      ['throws synchronously', 'throws'],
      ['rejects before its first await', 'rejects-before-await'],
      ['rejects after an await', 'rejects-after-await'],
      ['passes an error to done', 'done-error'],
      ['gives allowLeaks() a filter it does not take', 'bad-filter'],
      ['fails with the hook', 'hook'],
    ];
    for (const [title, site] of expected) {
      const result = run.test(title);
      assert.equal(result.status, 'failed', run.output);
      const message = result.failureMessages.join('\n');
      assert.doesNotMatch(message, OWN_FRAME, message);
      const where = leakSite('tests/user-failures.test.js', site, {
        root: path.join(fixturesDirectory, 'jest-contain'),
      });
      assert.ok(message.includes(`${where}:`), `expected "${where}:…" in:\n${message}`);
    }
    assert.doesNotMatch(run.output, OWN_FRAME, run.output);
  });
});
