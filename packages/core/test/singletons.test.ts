import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const fixture = fileURLToPath(new URL('./fixtures/first-use.ts', import.meta.url));
const CASES = [
  'console.log',
  'console.error',
  'fetch',
  'dns.lookup',
  'dns.promises.lookup',
  'zlib.gzip',
  'http.get with the global agent',
  'process.on signal',
];

/**
 * A clean test that happens to be the first in its process to log, fetch, resolve or compress
 * creates process-wide handles (stdio pipes, the DNS channel, fetch's keep-alive socket and timers).
 * Those are not the test's leaks. Each case runs in a fresh process so it really is the first.
 */
describe('no false alarms from process-wide singletons', () => {
  for (const name of CASES) {
    test(`first ${name} in the process`, () => {
      const output = execFileSync(process.execPath, ['--import', 'tsx', fixture, name], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const line = output.split('\n').find((l) => l.startsWith('RESULT '));
      assert.ok(line, `the fixture printed a verdict:\n${output}`);
      assert.deepEqual(JSON.parse(line.slice('RESULT '.length)), { status: 'clean', leaks: [] });
    });
  }

  // On a terminal, the first console.log creates a TTY handle and a SIGWINCH listener instead of a pipe.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  test('first console.log when stdout is a terminal', {
    skip: !hasScript && 'util-linux `script` is not installed',
  }, () => {
    const command = [process.execPath, '--import', 'tsx', fixture, 'console.log']
      .map((part) => `'${part}'`)
      .join(' ');
    const output = execFileSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
    const line = output.split(/\r?\n/).find((l) => l.startsWith('RESULT '));
    assert.ok(line, `the fixture printed a verdict:\n${output}`);
    assert.deepEqual(JSON.parse(line.slice('RESULT '.length)), { status: 'clean', leaks: [] });
  });
});
