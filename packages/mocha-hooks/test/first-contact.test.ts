import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { leakSite } from '@loose-ends-fixtures/leak-site';
import { describeRun, FIXTURES, failureDetail, runMocha } from './run-mocha.js';

const project = path.join(FIXTURES, 'cjs');
const withPlugin = (...specs: string[]) => ['--no-config', '--require', '@loose-ends/mocha-hooks', ...specs];
const NO_TEST_HERE =
  'loose-ends: allowLeaks() was called where no test is running (at module scope, in a describe body, or in code no test started). ' +
  "Call it inside a test body or a beforeEach hook, or wrap the test function: test('…', leakAllowed(fn)).";
const NOT_LOADED =
  'loose-ends: allowLeaks() was called, but leak detection is off: @loose-ends/mocha-hooks was imported, not loaded by Mocha. ' +
  "Add it to .mocharc (require: ['@loose-ends/mocha-hooks']) or run mocha --require @loose-ends/mocha-hooks.";

describe('first contact: allowLeaks in the wrong place, with a typo, or without the plugin loaded', () => {
  for (const [spec, site] of [
    ['first-contact/module-scope.spec.cjs', 'module-scope'],
    ['first-contact/describe-body.spec.cjs', 'describe-body'],
  ] as const) {
    const line = leakSite(spec, site, { root: project, call: 'allowLeaks' });
    it(`${path.basename(spec)}: stops the run with the words every runner uses, the stack starting at the call`, async () => {
      const run = await runMocha(project, withPlugin(spec));
      assert.notEqual(run.code, 0, describeRun(run));
      const output = run.stdout + run.stderr;
      const at = output.indexOf(`Error: ${NO_TEST_HERE}`);
      assert.notEqual(at, -1, describeRun(run));
      const firstFrame = output.slice(at).split('\n')[1] ?? '';
      assert.ok(firstFrame.includes(line), `first frame: ${firstFrame}\n${describeRun(run)}`);
    });
  }

  it('in a test it opts the test out (done-style too); a typo of a kind fails that test with a suggestion', async () => {
    const run = await runMocha(project, withPlugin('first-contact/in-a-test.spec.cjs'));
    assert.deepEqual(
      run.passed,
      ['allowLeaks in a test opts it out', 'leakAllowed opts a done-style test out'],
      describeRun(run),
    );
    assert.deepEqual(run.failed, ['allowLeaks with a typo of a kind fails the test with a suggestion']);
    assert.match(
      failureDetail(run, 'allowLeaks with a typo'),
      /TypeError: loose-ends: "intervals" is not a resource kind\. Did you mean "interval"\? allowLeaks\(filter\) takes nothing/,
    );
    assert.ok(!(run.stdout + run.stderr).includes(NOT_LOADED), describeRun(run));
    assert.equal(run.code, 1, describeRun(run));
  });

  it('imported by a spec but not loaded by Mocha: says once that detection is off and how to load it', async () => {
    const run = await runMocha(project, ['--no-config', 'first-contact/in-a-test.spec.cjs']);
    const output = run.stdout + run.stderr;
    assert.equal(output.split(NOT_LOADED).length - 1, 1, describeRun(run));
    assert.deepEqual(
      run.passed,
      ['allowLeaks in a test opts it out', 'leakAllowed opts a done-style test out'],
      describeRun(run),
    );
  });
});
