import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { leakLine } from '@loose-ends-fixtures/leak-site';
import type { JestRun } from './run-jest.js';
import { fixturesDirectory, runJest } from './run-jest.js';

const FIRST_CONTACT = path.join(fixturesDirectory, 'jest30/first-contact');

const OUTSIDE_A_TEST =
  'loose-ends: allowLeaks() was called where no test is running (at module scope, in a describe body, or in code no test started). ' +
  "Call it inside a test body or a beforeEach hook, or wrap the test function: test('…', leakAllowed(fn)).";

describe('first contact: what the quick start installs is all a Jest user imports', () => {
  let run: JestRun;
  before(() => {
    run = runJest(FIRST_CONTACT);
  });

  test('allowLeaks, leakAllowed and LooseEndsOptionsError come from @loose-ends/jest-env', () => {
    for (const title of [
      'allowLeaks imported from @loose-ends/jest-env opts this test out',
      'leakAllowed imported from @loose-ends/jest-env opts this test out',
      'LooseEndsOptionsError is exported too',
    ]) {
      assert.equal(run.test(title).status, 'passed', run.output);
    }
  });

  test('a typo of a kind in allowLeaks fails that test with a suggestion', () => {
    const result = run.test('allowLeaks with a typo of a kind fails the test with a suggestion');
    assert.equal(result.status, 'failed');
    assert.match(
      result.failureMessages.join('\n'),
      /TypeError: loose-ends: "intervals" is not a resource kind\. Did you mean "interval"\? allowLeaks\(filter\) takes nothing \(allow all\), one of the resource kinds \(timeout, interval,/,
    );
  });

  test('allowLeaks at module scope or in a describe body fails the file, saying where to call it, with the code frame at the call', () => {
    assert.equal(run.status, 1, run.output);
    for (const [file, site, code] of [
      ['module-scope.case.js', 'module-scope', 'allowLeaks();'],
      ['describe-body.case.js', 'describe-body', "  allowLeaks('interval');"],
    ] as const) {
      const line = `> ${leakLine(file, site, { root: FIRST_CONTACT })} | ${code}`;
      const result = run.file(file);
      assert.equal(result.status, 'failed');
      assert.ok(result.message.includes('Test suite failed to run'), result.message);
      assert.ok(result.message.includes(OUTSIDE_A_TEST), result.message);
      assert.ok(result.message.includes(line), result.message);
    }
  });
});

describe('first contact: a docblock pragma with a typo', () => {
  test('fails that file, naming the pragma, the accepted values and the one meant', () => {
    const run = runJest(FIRST_CONTACT, ['bad-pragma.case.js']);
    assert.equal(run.status, 1, run.output);
    assert.match(
      run.file('bad-pragma.case.js').message,
      /loose-ends: the @loose-ends docblock pragma in .*bad-pragma\.case\.js must be one of "off", "warn", "fail"; got "wran"\. Did you mean "warn"\?/,
    );
  });
});

describe('first contact: an invalid option', () => {
  const config = (reporters: string[]) =>
    JSON.stringify({
      testEnvironment: '@loose-ends/jest-env',
      reporters,
      testEnvironmentOptions: { looseEnds: { ignoreTypes: ['intervals'] } },
    });
  const expected =
    /loose-ends: option "ignoreTypes" in testEnvironmentOptions\.looseEnds \(Jest config of .*jest30\): "intervals" is not a resource kind\. Did you mean "interval"\? It takes resource kinds \(timeout, interval,/g;

  test('with the reporter, stops the run once before any file runs', () => {
    const run = runJest('jest30', [
      '-w',
      '2',
      '--config',
      config(['default', '@loose-ends/jest-env/reporter']),
      'tests/timers.test.js',
      'tests/network.test.js',
    ]);
    assert.equal(run.status, 1, run.output);
    assert.equal(run.output.match(expected)?.length, 1, run.output);
    assert.match(run.output, /No test file was run: fix the option and run Jest again\./);
    assert.doesNotMatch(run.output, /Test suite failed to run|tests checked|Tests:/);
  });

  test('without the reporter, each file fails with the same message', () => {
    const run = runJest('jest30', ['--config', config(['default']), 'tests/timers.test.js']);
    assert.equal(run.status, 1, run.output);
    assert.match(run.output, /Test suite failed to run/);
    assert.match(run.output, expected);
  });
});

describe('first contact: a missing peer dependency says what to install', () => {
  // The built package alone in a project that has core but neither Jest environment.
  const project = mkdtempSync(path.join(tmpdir(), 'loose-ends-no-peer-'));
  const packageDirectory = path.join(import.meta.dirname, '..');
  const installed = path.join(project, 'node_modules/@loose-ends/jest-env');
  mkdirSync(installed, { recursive: true });
  cpSync(path.join(packageDirectory, 'dist'), path.join(installed, 'dist'), { recursive: true });
  cpSync(path.join(packageDirectory, 'package.json'), path.join(installed, 'package.json'));
  const core = path.dirname(createRequire(import.meta.url).resolve('@loose-ends/core/package.json'));
  symlinkSync(core, path.join(project, 'node_modules/@loose-ends/core'), 'dir');

  const load = (code: string, type: 'commonjs' | 'module') =>
    spawnSync(process.execPath, ['--input-type', type, '-e', code], { cwd: project, encoding: 'utf8' });

  for (const [entry, peer] of [
    ['@loose-ends/jest-env', 'jest-environment-node'],
    ['@loose-ends/jest-env/jsdom', 'jest-environment-jsdom'],
  ] as const) {
    test(`${entry} without ${peer}, from require and import`, () => {
      for (const child of [
        load(`require('${entry}')`, 'commonjs'),
        load(`await import('${entry}')`, 'module'),
      ]) {
        assert.notEqual(child.status, 0);
        assert.ok(
          child.stderr.includes(
            `loose-ends: ${entry} needs ${peer}, which is not installed. Install the version that matches your Jest: npm i -D ${peer}@<your jest major>`,
          ),
          child.stderr,
        );
        assert.doesNotMatch(child.stderr, /Require stack/);
      }
    });
  }

  test('clean-up', () => rmSync(project, { recursive: true, force: true }));
});
