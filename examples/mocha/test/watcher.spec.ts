import assert from 'node:assert/strict';
import type { FSWatcher } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { allowLeaks } from '@loose-ends/mocha-hooks';
import { watchConfig } from '../src/watcher.js';

function configFile(): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'example-mocha-')), 'config.json');
  writeFileSync(file, '{"refreshMs":1000}');
  return file;
}

describe('config watcher, closed in afterEach', () => {
  let watcher: FSWatcher;
  afterEach(() => watcher.close());

  it('starts watching the config file', () => {
    watcher = watchConfig(configFile(), () => {});
    assert.ok(watcher);
  });
});

describe('config watcher, opened in beforeEach and never closed', () => {
  let watcher: FSWatcher;
  beforeEach(() => {
    watcher = watchConfig(configFile(), () => {});
  });

  it('has a watcher ready', () => {
    assert.ok(watcher);
  });
});

describe('config watchers kept past their test on purpose', () => {
  // Allowed leaks are left running by loose-ends: whoever keeps them closes them.
  const keptUp: FSWatcher[] = [];
  after(() => {
    for (const watcher of keptUp) watcher.close();
  });

  it('watches the shared config @allow-leaks', () => {
    keptUp.push(watchConfig(configFile(), () => {}));
  });

  it('watches a second config with allowLeaks()', () => {
    allowLeaks('fs-watcher');
    keptUp.push(watchConfig(configFile(), () => {}));
  });
});
