import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { allowLeaksIn } from '../src/allow.js';
import type { LeakSummary, ReportDocument } from '../src/index.js';
import {
  addToSummary,
  emptySummary,
  getEngine,
  mergeSummaries,
  RESOURCE_KINDS,
  resolveOptions,
} from '../src/index.js';
import { writeReportFile } from '../src/report-file.js';

const schema = createRequire(import.meta.url)('../report-schema.json');
const validate = addFormats.default(new Ajv2020({ allErrors: true, strict: true })).compile(schema);
const root = mkdtempSync(path.join(tmpdir(), 'loose-ends-report-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** One leaky test and one leaky file scope, checked for real, as a worker would tally them. */
async function tallyOfARun(): Promise<{ summary: LeakSummary; intervalLine: number }> {
  const engine = getEngine();
  const options = resolveOptions({ contain: 'close', reportFile: 'report.json' }, 'test options', {});
  engine.applySettings(options);
  const summary = emptySummary({ details: options.reportFile !== undefined });
  const file = path.join(root, 'test', 'cache.test.js');
  const testCtx = engine.createContext({ titlePath: ['cache', 'refreshes'], file });
  const intervalLine = Number(new Error().stack?.split('\n')[1]?.match(/:(\d+):\d+\)?$/)?.[1]) + 1;
  engine.run(testCtx, () => setInterval(() => {}, 1000));
  addToSummary(summary, await engine.check(testCtx, options));
  const allowingCtx = engine.createContext({ titlePath: ['allowed'], file });
  allowLeaksIn(allowingCtx, 'interval');
  const allowedInterval = engine.run(allowingCtx, () => setInterval(() => {}, 1000));
  addToSummary(summary, await engine.check(allowingCtx, options));
  clearInterval(allowedInterval);
  const cleanCtx = engine.createContext({ titlePath: ['clean'], file });
  engine.run(cleanCtx, () => clearTimeout(setTimeout(() => {}, 1000)));
  addToSummary(summary, await engine.check(cleanCtx, options));
  const fileCtx = engine.createContext({ kind: 'file', title: 'test/cache.test.js', file });
  engine.run(fileCtx, () => setTimeout(() => {}, 60_000), 'module scope');
  addToSummary(summary, await engine.check(fileCtx, options));
  return { summary, intervalLine };
}

describe('issue 22: the report file', () => {
  test('the schema names every resource kind core reports', () => {
    assert.deepEqual(schema.$defs.kind.enum, [...RESOURCE_KINDS]);
  });

  test('a run relayed through JSON is written as one document that matches the schema', async () => {
    const { summary, intervalLine } = await tallyOfARun();
    // Workers pass their tallies as JSON: the report is built from what survives that.
    const merged = mergeSummaries([JSON.parse(JSON.stringify(summary)), emptySummary({ details: true })]);
    const written = writeReportFile('reports/nested/loose-ends.json', merged, {
      runner: 'jest',
      runnerVersion: '30.0.0',
      root,
    });
    assert.equal(written, path.join(root, 'reports/nested/loose-ends.json'));
    const report = JSON.parse(readFileSync(written!, 'utf8')) as ReportDocument;
    assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
    assert.deepEqual(report.summary, {
      testsChecked: 3,
      testsWithLeaks: 1,
      filesWithLeaks: 1,
      leaks: 2,
      byKind: { interval: 1, timeout: 1 },
    });
    const [leak, allowed, fileLeak] = report.leaks;
    assert.deepEqual(leak?.test, ['cache', 'refreshes']);
    assert.equal(leak?.scope, 'test');
    assert.equal(leak?.file, 'test/cache.test.js');
    assert.equal(leak?.kind, 'interval');
    assert.equal(leak?.allowed, false);
    // This file is outside the root: named in full, never as a climb out of it.
    assert.equal(leak?.location?.file, import.meta.filename.split(path.sep).join('/'));
    assert.equal(leak?.location?.line, intervalLine);
    assert.deepEqual([allowed?.test, allowed?.allowed], [['allowed'], true]);
    assert.deepEqual(
      [fileLeak?.scope, fileLeak?.test, fileLeak?.file, fileLeak?.phase, fileLeak?.kind],
      ['file', [], 'test/cache.test.js', 'module scope', 'timeout'],
    );
    assert.equal(report.leaks.length, 3, 'the clean test is not listed');
  });

  test('a file that cannot be written is said in one line naming the option, and nothing throws', () => {
    const blocker = path.join(root, 'a-file');
    writeFileSync(blocker, '');
    const said: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((text: string) => said.push(text) > 0) as typeof write;
    try {
      const written = writeReportFile('a-file/report.json', emptySummary({ details: true }), {
        runner: 'mocha',
        runnerVersion: undefined,
        root,
      });
      assert.equal(written, undefined);
    } finally {
      process.stderr.write = write;
    }
    assert.equal(said.length, 1);
    assert.match(
      said[0]!,
      /^loose-ends: Could not write the report file .*a-file.report\.json: .*option reportFile/,
    );
  });
});

describe('option reportFile', () => {
  test('takes a non-empty path; the environment variable wins', () => {
    assert.equal(resolveOptions({}, 'config', {}).reportFile, undefined);
    assert.equal(resolveOptions({ reportFile: 'out/le.json' }, 'config', {}).reportFile, 'out/le.json');
    assert.equal(
      resolveOptions({ reportFile: 'a.json' }, 'config', { LOOSE_ENDS_REPORT_FILE: 'b.json' }).reportFile,
      'b.json',
    );
    assert.equal(resolveOptions({}, 'config', { LOOSE_ENDS_REPORT_FILE: '' }).reportFile, undefined);
    assert.throws(
      () => resolveOptions({ reportFile: true }, 'config', {}),
      /option "reportFile" in config must be a file path such as "reports\/loose-ends\.json", relative to the root directory; got true\./,
    );
    assert.throws(() => resolveOptions({ reportFile: ' ' }, 'config', {}), /option "reportFile"/);
  });
});
