import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ReportDocument, ReportedLeak } from '@loose-ends/core';
import { leakSite } from '@loose-ends-fixtures/leak-site';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { JestRun } from './run-jest.js';
import { fixturesDirectory, runJest } from './run-jest.js';

const schema = createRequire(import.meta.url)('@loose-ends/core/report-schema.json');
const validate = addFormats.default(new Ajv2020({ allErrors: true, strict: true })).compile(schema);
const at = (file: string, site: string) =>
  leakSite(`tests/${file}`, site, { root: path.join(fixturesDirectory, 'jest30') });
const where = (leak: ReportedLeak | undefined) => `${leak?.location?.file}:${leak?.location?.line}`;
const forTest = (report: ReportDocument, ...title: string[]) =>
  report.leaks.filter((leak) => leak.test.join(' > ') === title.join(' > '));

describe('issue 22: LOOSE_ENDS_REPORT_FILE, Jest 30 with two workers', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'loose-ends-jest-report-'));
  const reportFile = path.join(directory, 'nested', 'loose-ends.json');
  let run: JestRun;
  let report: ReportDocument;
  before(() => {
    run = runJest('jest30', ['-w', '2', 'tests/timers.test.js', 'tests/file-scope.test.js'], {
      LOOSE_ENDS_REPORT_FILE: reportFile,
    });
    report = JSON.parse(readFileSync(reportFile, 'utf8'));
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  test('the run fails as without it, and the report matches the schema', () => {
    assert.equal(run.status, 1, run.output);
    assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
    assert.equal(report.runner, 'jest');
    assert.match(report.runnerVersion ?? '', /^30\./);
    assert.equal(report.root, path.join(fixturesDirectory, 'jest30'));
  });

  test('each leaking test is listed with its kind, file and creation line; clean tests are not', () => {
    const [interval] = forTest(report, 'interval never cleared fails');
    assert.deepEqual(
      [interval?.scope, interval?.kind, interval?.file],
      ['test', 'interval', 'tests/timers.test.js'],
    );
    assert.equal(where(interval), at('timers.test.js', 'body-interval'));
    const [hook] = forTest(report, 'leaky hook', 'interval started in beforeEach and never cleared fails');
    assert.deepEqual([hook?.kind, hook?.phase], ['interval', 'beforeEach hook']);
    assert.equal(where(hook), at('timers.test.js', 'beforeEach-interval'));
    assert.equal(
      where(forTest(report, 'floating promise waiting on a timer fails')[0]),
      at('timers.test.js', 'floating-timeout'),
    );
    for (const clean of ['awaited timeout passes', 'done-style test that finishes passes']) {
      assert.deepEqual(forTest(report, clean), [], clean);
    }
    const [allowed] = forTest(report, 'allowLeaks() opts this test out');
    assert.deepEqual([allowed?.kind, allowed?.allowed], ['interval', true]);
  });

  test('the leaks of a file scope carry their file and no test', () => {
    const fileLeaks = report.leaks.filter((leak) => leak.scope === 'file');
    assert.deepEqual(fileLeaks.map((leak) => [leak.file, leak.test, leak.kind, where(leak)]).sort(), [
      ['tests/file-scope.test.js', [], 'interval', at('file-scope.test.js', 'module-interval')],
      ['tests/file-scope.test.js', [], 'server', at('file-scope.test.js', 'beforeAll-server')],
    ]);
  });

  test('the summary counts what the list holds, allowed leaks aside', () => {
    const counted = report.leaks.filter((leak) => !leak.allowed);
    assert.equal(report.summary.leaks, counted.length);
    assert.equal(report.summary.filesWithLeaks, 1);
    assert.equal(
      report.summary.testsWithLeaks,
      new Set(counted.filter((leak) => leak.scope === 'test').map((leak) => leak.test.join(' > '))).size,
    );
    assert.match(
      run.output,
      new RegExp(`loose-ends: ${report.summary.testsWithLeaks} of ${report.summary.testsChecked} tests`),
    );
  });
});

describe('issue 22: option reportFile in testEnvironmentOptions.looseEnds', () => {
  const fixture = path.join(fixturesDirectory, 'jest30');
  const written = path.join(fixture, 'reports', 'loose-ends.json');
  after(() => rmSync(path.join(fixture, 'reports'), { recursive: true, force: true }));

  test('is written relative to rootDir by the reporter', () => {
    const config = JSON.stringify({
      rootDir: fixture,
      testEnvironment: '@loose-ends/jest-env',
      reporters: ['default', '@loose-ends/jest-env/reporter'],
      testEnvironmentOptions: { looseEnds: { reportFile: 'reports/loose-ends.json' } },
    });
    const run = runJest('jest30', [
      '--config',
      config,
      'tests/timers.test.js',
      '-t',
      'interval never cleared fails',
    ]);
    assert.equal(run.status, 1, run.output);
    const report = JSON.parse(readFileSync(written, 'utf8')) as ReportDocument;
    assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
    assert.deepEqual(
      report.leaks.map((leak) => [leak.test, leak.kind, where(leak)]),
      [[['interval never cleared fails'], 'interval', at('timers.test.js', 'body-interval')]],
    );
  });

  test('without the reporter, says that nothing will be written and how to fix it', () => {
    rmSync(path.join(fixture, 'reports'), { recursive: true, force: true });
    const config = JSON.stringify({
      rootDir: fixture,
      testEnvironment: '@loose-ends/jest-env',
      testEnvironmentOptions: { looseEnds: { reportFile: 'reports/loose-ends.json' } },
    });
    const run = runJest('jest30', [
      '--config',
      config,
      'tests/timers.test.js',
      '-t',
      'awaited timeout passes',
    ]);
    assert.equal(run.status, 0, run.output);
    assert.match(run.output, /No report file will be written: option reportFile .* needs the reporter/);
    assert.match(run.output, /reporters: \['default', '@loose-ends\/jest-env\/reporter'\]/);
    assert.equal(existsSync(written), false);
  });
});
