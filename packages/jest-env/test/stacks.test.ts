import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runJest } from './run-jest.js';

/** A frame of ours: the packages' files, installed or in this repository, or the storage run our wrapper calls. */
const OWN_FRAME =
  /^\s+at .*(?:@loose-ends[\\/]|packages[\\/](?:core|jest-env)[\\/](?:src|dist)[\\/]|AsyncLocalStorage\.run)/m;

describe("failure stacks show the user's frames and none of ours", () => {
  test('for tests that throw, reject, call done(error) or misuse the API, and for a failing hook', () => {
    const run = runJest('jest-contain', ['tests/user-failures.test.js']);
    assert.equal(run.status, 1, run.output);
    const expected: [string, number][] = [
      ['throws synchronously', 11],
      ['rejects before its first await', 15],
      ['rejects after an await', 20],
      ['passes an error to done', 25],
      ['gives allowLeaks() a filter it does not take', 32],
      ['fails with the hook', 38],
    ];
    for (const [title, line] of expected) {
      const result = run.test(title);
      assert.equal(result.status, 'failed', run.output);
      const message = result.failureMessages.join('\n');
      assert.doesNotMatch(message, OWN_FRAME, message);
      assert.match(message, new RegExp(`tests/user-failures\\.test\\.js:${line}:`), message);
    }
    assert.doesNotMatch(run.output, OWN_FRAME, run.output);
  });
});
