import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { leakLine } from '@loose-ends-fixtures/leak-site';
import type { VitestRun } from './helpers.js';
import { describeRun, FIXTURES, failedTests, runVitest } from './helpers.js';

const FIXTURE = 'basic';
const CONFIG = ['--config', 'vitest.first-contact.config.js'];
const NO_TEST_HERE =
  'loose-ends: allowLeaks() was called where no test is running (at module scope, in a describe body, or in code no test started). ' +
  "Call it inside a test body or a beforeEach hook, or wrap the test function: test('…', leakAllowed(fn)).";

describe('first contact: allowLeaks in the wrong place or with a typo', () => {
  let run: VitestRun;
  before(() => {
    run = runVitest(FIXTURE, CONFIG);
  });

  test('at module scope or in a describe body, the file fails with the words every runner uses, framed at the call', () => {
    assert.equal(run.status, 1, describeRun(run));
    for (const [file, site, code] of [
      ['module-scope.test.js', 'module-scope', 'allowLeaks();'],
      ['describe-body.test.js', 'describe-body', "  allowLeaks('interval');"],
    ] as const) {
      const line = `${leakLine(`first-contact/${file}`, site, { root: path.join(FIXTURES, FIXTURE) })}| ${code}`;
      const section = run.output.slice(run.output.indexOf(`FAIL  first-contact/${file} [`));
      assert.ok(section.startsWith('FAIL'), `no failure for ${file}\n${describeRun(run)}`);
      assert.ok(section.includes(`Error: ${NO_TEST_HERE}`), section);
      assert.ok(section.includes(line), section);
    }
  });

  test('in a test it opts the test out; with a typo of a kind it fails the test with a suggestion', () => {
    assert.equal(run.tests.get('allowLeaks in a test opts it out')?.status, 'passed', describeRun(run));
    assert.deepEqual(failedTests(run), ['allowLeaks with a typo of a kind fails the test with a suggestion']);
    assert.match(
      run.output,
      /TypeError: loose-ends: "intervals" is not a resource kind\. Did you mean "interval"\? allowLeaks\(filter\) takes nothing/,
    );
  });

  test('with detection off, allowLeaks in a test does nothing (the adapter is loaded, just switched off)', () => {
    const off = runVitest(FIXTURE, [...CONFIG, 'first-contact/in-a-test.test.js', '-t', 'opts it out'], {
      LOOSE_ENDS_MODE: 'off',
    });
    assert.equal(off.status, 0, describeRun(off));
    assert.equal(off.tests.get('allowLeaks in a test opts it out')?.status, 'passed', describeRun(off));
  });
});
