import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { leakLine, leakSite } from '@loose-ends-fixtures/leak-site';
import type { JestRun } from './run-jest.js';
import { fixturesDirectory, runJest } from './run-jest.js';

const TRANSFORMS = ['ts-jest', 'babel-jest', '@swc/jest'] as const;

/** The default reporter's block for one project's failing file: from `FAIL <project> …` to the next `FAIL`/`PASS`. */
function failureOf(output: string, project: string): string {
  const start = output.indexOf(`FAIL ${project} `);
  assert.notEqual(start, -1, `no failure reported for the ${project} project\n${output}`);
  const rest = output.slice(start + 5);
  const end = rest.search(/^(FAIL|PASS) /m);
  return end === -1 ? rest : rest.slice(0, end);
}

describe('TypeScript tests through ts-jest, babel-jest and @swc/jest (one run, three projects)', () => {
  let run: JestRun;
  const root = path.join(fixturesDirectory, 'jest-ts');
  const where = leakSite('tests/poller.test.ts', 'ts-interval', { root });
  const line = leakLine('tests/poller.test.ts', 'ts-interval', { root });
  before(() => {
    run = runJest('jest-ts');
  });

  test('the leaking test fails under every transform, the clean one passes', () => {
    assert.equal(run.status, 1, run.output);
    assert.equal(run.files.length, TRANSFORMS.length, run.output);
    for (const file of run.files) {
      const [leaky, clean] = file.assertionResults;
      assert.equal(leaky?.status, 'failed');
      assert.match(leaky!.failureMessages.join('\n'), /1 interval/);
      assert.equal(clean?.status, 'passed');
    }
  });

  test('the report and the code frame point at the TypeScript line, for every transform', () => {
    // The compilers drop the interface above the marker, so the compiled line differs (swc: 7, not 9).
    for (const transform of TRANSFORMS) {
      const section = failureOf(run.output, transform);
      assert.ok(
        section.includes(`Created at ${where}:`),
        `${transform} should say "Created at ${where}:"\n${section}`,
      );
      const frame = section.split('\n').find((line) => /^\s+> +\d+ \| /.test(line));
      assert.ok(frame !== undefined, `${transform} should draw a code frame\n${section}`);
      assert.ok(frame.includes(`> ${String(line).padStart(2)} |`), `${transform}: ${frame}`);
      assert.ok(frame.endsWith('// LEAK: ts-interval'), `${transform}: ${frame}`);
    }
  });
});
