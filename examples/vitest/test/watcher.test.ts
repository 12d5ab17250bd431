import type { FSWatcher } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { watchConfig } from '../src/watcher.js';

const dir = mkdtempSync(path.join(tmpdir(), 'loose-ends-example-'));
const file = path.join(dir, 'config.json');
writeFileSync(file, '{}');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('config watcher, closed in afterEach', () => {
  let watcher: FSWatcher;
  beforeEach(() => {
    watcher = watchConfig(file, () => {});
  });
  afterEach(() => watcher.close());

  test('is watching', () => {
    expect(watcher).toBeDefined();
  });
});

describe('config watcher, opened in beforeEach and never closed', () => {
  let changes = 0;
  // LEAK: set up in beforeEach, with no afterEach to close it.
  beforeEach(() => {
    watchConfig(file, () => {
      changes += 1;
    });
  });

  test('reloads when the file changes', () => {
    expect(changes).toBe(0);
  });
});
