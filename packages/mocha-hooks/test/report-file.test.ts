import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ReportDocument, ReportedLeak } from '@loose-ends/core';
import { leakSite } from '@loose-ends-fixtures/leak-site';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { MochaRun } from './run-mocha.js';
import { describeRun, FIXTURES, runMocha } from './run-mocha.js';

const schema = createRequire(import.meta.url)('@loose-ends/core/report-schema.json');
const validate = addFormats.default(new Ajv2020({ allErrors: true, strict: true })).compile(schema);
const project = path.join(FIXTURES, 'cjs');
const where = (leak: ReportedLeak | undefined) => `${leak?.location?.file}:${leak?.location?.line}`;

const at = (file: string, site: string) => leakSite(file, site, { root: project });

for (const mode of ['serial', 'parallel'] as const) {
  describe(`issue 22: LOOSE_ENDS_REPORT_FILE, Mocha 11 CommonJS specs, ${mode} run`, () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'loose-ends-mocha-report-'));
    const reportFile = path.join(directory, 'nested', 'loose-ends.json');
    let run: MochaRun;
    let report: ReportDocument;
    before(async () => {
      run = await runMocha(project, mode === 'parallel' ? ['--parallel', '--jobs', '2'] : [], {
        env: { LOOSE_ENDS_REPORT_FILE: reportFile },
      });
      report = JSON.parse(readFileSync(reportFile, 'utf8'));
    });
    after(() => rmSync(directory, { recursive: true, force: true }));

    it('the run fails as without it, and the report matches the schema', () => {
      assert.notEqual(run.code, 0, describeRun(run));
      assert.equal(run.code, run.totals.failing, describeRun(run));
      assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
      assert.equal(report.runner, 'mocha');
      assert.match(report.runnerVersion ?? '', /^11\./);
      assert.equal(report.root, project);
    });

    it('each leaking test is listed with its kind, file and creation line; clean tests are not', () => {
      const ofTest = (title: string) =>
        report.leaks.filter((leak) => leak.test.join(' > ') === `per test > ${title}`);
      for (const [title, kind, line] of [
        ['leaky: forgets clearInterval', 'interval', at('test/tests.spec.cjs', 'interval')],
        ['leaky: server never closed', 'server', at('test/tests.spec.cjs', 'server')],
        ['leaky: child process not killed', 'child-process', at('test/tests.spec.cjs', 'child-process')],
      ] as const) {
        const [leak] = ofTest(title);
        assert.deepEqual(
          [leak?.scope, leak?.kind, leak?.file, where(leak), leak?.allowed],
          ['test', kind, 'test/tests.spec.cjs', line, false],
          title,
        );
      }
      for (const clean of [
        'clean: clears its timer',
        'clean: closes its server',
        'clean: kills its child process',
      ]) {
        assert.deepEqual(ofTest(clean), [], clean);
      }
      assert.deepEqual(
        ofTest('opted out with allowLeaks()').map((leak) => [leak.kind, leak.allowed]),
        [['interval', true]],
      );
    });

    it('the leaks of a file scope carry their file and no test', () => {
      const fileLeaks = report.leaks.filter((leak) => leak.scope === 'file');
      assert.deepEqual(
        fileLeaks.map((leak) => [leak.file, leak.test, leak.kind, where(leak)]).sort(),
        [
          ['test/file-scope.spec.cjs', [], 'interval', at('test/file-scope.spec.cjs', 'module-scope')],
          ['test/file-scope.spec.cjs', [], 'interval', at('test/file-scope.spec.cjs', 'before')],
        ].sort(),
      );
    });

    it('the summary counts what the list holds, allowed leaks aside', () => {
      const counted = report.leaks.filter((leak) => !leak.allowed);
      assert.equal(report.summary.leaks, counted.length);
      assert.equal(report.summary.filesWithLeaks, 1);
      assert.match(
        run.stderr,
        new RegExp(`loose-ends: ${report.summary.testsWithLeaks} of ${report.summary.testsChecked} tests`),
      );
    });
  });
}

describe('issue 22: option reportFile of configure()', () => {
  after(() => rmSync(path.join(project, 'reports'), { recursive: true, force: true }));

  it('is written relative to the working directory', async () => {
    const run = await runMocha(project, [
      '--no-config',
      '--require',
      './extra/report-file.cjs',
      'extra/leaky.spec.cjs',
      '--exit',
    ]);
    assert.equal(run.code, 1, describeRun(run));
    const report = JSON.parse(
      readFileSync(path.join(project, 'reports', 'loose-ends.json'), 'utf8'),
    ) as ReportDocument;
    assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
    assert.deepEqual(
      report.leaks.map((leak) => [leak.test, leak.kind, leak.file]),
      [[['one leak', 'leaky: forgets clearInterval'], 'interval', 'extra/leaky.spec.cjs']],
    );
  });
});
