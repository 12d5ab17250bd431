import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { displayPath } from '../src/index.js';
import { displayPathWith } from '../src/paths.js';

describe('a file is shown relative to the working directory only when inside it', () => {
  test('a file inside the working directory is shown relative', () => {
    assert.equal(displayPathWith(path.posix, '/repo/test/a.test.ts', '/repo'), 'test/a.test.ts');
  });

  test('a file outside the working directory is shown absolute', () => {
    assert.equal(displayPathWith(path.posix, '/elsewhere/a.test.ts', '/repo'), '/elsewhere/a.test.ts');
    assert.equal(displayPathWith(path.posix, '/a.test.ts', '/repo/sub'), '/a.test.ts');
  });

  test('a name starting with `..` inside the working directory is still relative', () => {
    assert.equal(displayPathWith(path.posix, '/repo/..foo', '/repo'), '..foo');
    assert.equal(displayPathWith(path.posix, '/repo/..foo/a.test.ts', '/repo'), '..foo/a.test.ts');
  });

  test('the parent directory itself and the working directory itself are shown absolute', () => {
    assert.equal(displayPathWith(path.posix, '/repo', '/repo/sub'), '/repo');
    assert.equal(displayPathWith(path.posix, '/repo', '/repo'), '/repo');
  });

  test('on Windows, a file on another drive is shown absolute', () => {
    assert.equal(displayPathWith(path.win32, 'D:\\tests\\a.test.ts', 'C:\\repo'), 'D:\\tests\\a.test.ts');
    assert.equal(displayPathWith(path.win32, 'C:\\repo\\test\\a.test.ts', 'C:\\repo'), 'test\\a.test.ts');
    assert.equal(displayPathWith(path.win32, 'C:\\other\\a.test.ts', 'C:\\repo'), 'C:\\other\\a.test.ts');
    assert.equal(displayPathWith(path.win32, 'C:\\repo\\..foo', 'C:\\repo'), '..foo');
  });

  test('displayPath uses the process working directory by default', () => {
    assert.equal(displayPath(path.join(process.cwd(), 'x.ts')), 'x.ts');
  });
});
