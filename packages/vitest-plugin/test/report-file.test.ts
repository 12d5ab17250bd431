import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ReportDocument, ReportedLeak } from '@loose-ends/core';
import { leakSite } from '@loose-ends-fixtures/leak-site';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { VitestRun } from './helpers.js';
import { describeRun, FIXTURES, runVitest, VITEST_PACKAGE } from './helpers.js';

const schema = createRequire(import.meta.url)('@loose-ends/core/report-schema.json');
const validate = addFormats.default(new Ajv2020({ allErrors: true, strict: true })).compile(schema);
const FIXTURE = 'basic';
const at = (file: string, site: string, call?: string) =>
  leakSite(file, site, { root: path.join(FIXTURES, FIXTURE), call });
const where = (leak: ReportedLeak | undefined) => `${leak?.location?.file}:${leak?.location?.line}`;

/** Leaky tests of the fixture (as Vitest's JSON names them), their file and `// LEAK: <site>`. */
const LEAKY: Record<string, { file: string; kind: string; site: string }> = {
  'leaky interval': { file: 'test/leaks.test.js', kind: 'interval', site: 'interval' },
  'leaky server': { file: 'test/leaks.test.js', kind: 'server', site: 'server' },
  'leaky child process': { file: 'test/leaks.test.js', kind: 'child-process', site: 'child-process' },
  'leaky ts poller': { file: 'test/modes.test.ts', kind: 'interval', site: 'ts' },
  'concurrent tests leaky concurrent': { file: 'test/modes.test.ts', kind: 'interval', site: 'concurrent' },
  'leaky test in a file with module-scope work': {
    file: 'test/module-scope.test.js',
    kind: 'interval',
    site: 'module-file-test',
  },
};

describe(`issue 22: LOOSE_ENDS_REPORT_FILE (${VITEST_PACKAGE}, Node ${process.versions.node})`, () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'loose-ends-vitest-report-'));
  const reportFile = path.join(directory, 'nested', 'loose-ends.json');
  let run: VitestRun;
  let report: ReportDocument;
  before(() => {
    run = runVitest(FIXTURE, [], { LOOSE_ENDS_REPORT_FILE: reportFile });
    report = JSON.parse(readFileSync(reportFile, 'utf8'));
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  test('the run fails as without it, and the report matches the schema', () => {
    assert.equal(run.status, 1, describeRun(run));
    assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
    assert.equal(report.runner, 'vitest');
    assert.match(report.runnerVersion ?? '', /^\d+\.\d+/);
    assert.equal(report.root, path.join(FIXTURES, FIXTURE));
  });

  test('each leaking test is listed with its kind, file and creation line (source-mapped for TS)', () => {
    for (const [fullName, expected] of Object.entries(LEAKY)) {
      const found = report.leaks.filter((leak) => leak.scope === 'test' && leak.test.join(' ') === fullName);
      assert.deepEqual(
        found.map((leak) => [leak.kind, leak.file, where(leak), leak.allowed]),
        [[expected.kind, expected.file, at(expected.file, expected.site), false]],
        fullName,
      );
    }
  });

  test('clean tests are not listed; tests that allowed their leak are, marked allowed', () => {
    const listed = new Set(report.leaks.map((leak) => leak.test.join(' ')));
    for (const clean of ['clean: interval cleared', 'clean: server closed', 'clean: child process awaited']) {
      assert.ok(!listed.has(clean), clean);
    }
    const allowed = report.leaks.filter(
      (leak) => leak.test.join(' ') === 'clean: opted out with allowLeaks()',
    );
    assert.deepEqual(
      allowed.map((leak) => [leak.kind, leak.allowed]),
      [['interval', true]],
    );
  });

  test('the leaks of a file scope carry their file and no test', () => {
    const fileLeaks = report.leaks.filter((leak) => leak.scope === 'file');
    assert.deepEqual(fileLeaks.map((leak) => [leak.file, leak.test, leak.phase, where(leak)]).sort(), [
      ['test/first-line.test.js', [], 'module scope', at('test/first-line.test.js', 'first-line')],
      ['test/modes.test.ts', [], 'beforeAll or afterAll hook', at('test/modes.test.ts', 'beforeAll')],
      ['test/module-scope.test.js', [], 'module scope', at('test/module-scope.test.js', 'module-body')],
    ]);
  });

  test('the summary counts what the list holds, allowed leaks aside', () => {
    const counted = report.leaks.filter((leak) => !leak.allowed);
    assert.equal(report.summary.leaks, counted.length);
    assert.equal(report.summary.filesWithLeaks, 3);
    assert.match(
      run.output,
      new RegExp(`loose-ends: ${report.summary.testsWithLeaks} of ${report.summary.testsChecked} tests`),
    );
  });
});

describe('issue 22: option reportFile of looseEnds()', () => {
  const reports = path.join(FIXTURES, FIXTURE, 'reports');
  after(() => rmSync(reports, { recursive: true, force: true }));

  test('is written relative to the project root', () => {
    const run = runVitest(FIXTURE, [
      '--config',
      'vitest.report.config.js',
      'test/leaks.test.js',
      '-t',
      '^leaky interval$',
    ]);
    assert.equal(run.status, 1, describeRun(run));
    const report = JSON.parse(readFileSync(path.join(reports, 'loose-ends.json'), 'utf8')) as ReportDocument;
    assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
    assert.deepEqual(
      report.leaks.map((leak) => [leak.test, leak.kind, where(leak)]),
      [[['leaky interval'], 'interval', at('test/leaks.test.js', 'interval')]],
    );
  });
});
