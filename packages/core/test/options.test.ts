import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_OPTIONS, LooseEndsOptionsError, resolveOptions } from '../src/index.js';

describe('options are validated up front with errors that say what to write instead', () => {
  test('defaults', () => {
    const resolved = resolveOptions(undefined, 'x', {});
    assert.equal(resolved.mode, 'fail');
    assert.equal(resolved.gc, true);
    assert.equal(resolved.reportUnref, false);
    assert.equal(resolved.promises, false);
    assert.equal(resolved.stackDepth, DEFAULT_OPTIONS.stackDepth);
  });

  test('an unknown option names itself and lists the accepted ones', () => {
    assert.throws(
      () => resolveOptions({ mdoe: 'warn' }, 'testEnvironmentOptions.looseEnds', {}),
      (error: Error) =>
        error instanceof LooseEndsOptionsError &&
        error.message.includes('unknown option "mdoe" in testEnvironmentOptions.looseEnds') &&
        error.message.includes('mode, ignoreTypes, ignoreStacks'),
    );
  });

  test('a wrong value names the option, the accepted values and what was given', () => {
    assert.throws(() => resolveOptions({ mode: 'fial' }, 'config', {}), {
      message: 'loose-ends: option "mode" in config must be one of "fail", "warn", "off"; got "fial".',
    });
    assert.throws(
      () => resolveOptions({ stackDepth: 0 }, 'config', {}),
      /option "stackDepth" .* a whole number from 1 to 100; got 0/,
    );
    assert.throws(
      () => resolveOptions({ gc: 'yes' }, 'config', {}),
      /option "gc" .* true or false; got "yes"/,
    );
    assert.throws(
      () => resolveOptions({ ignoreTypes: 'interval' }, 'config', {}),
      /option "ignoreTypes" .* an array of resource kinds \(timeout, interval/,
    );
    assert.throws(
      () => resolveOptions({ ignoreStacks: [42] }, 'config', {}),
      /option "ignoreStacks" .* strings or regular expressions matched against the creation stack; got \[42\]/,
    );
    assert.throws(
      () => resolveOptions('fail', 'config', {}),
      /config must be an object such as \{ mode: 'fail' \}; got "fail"/,
    );
  });

  test('LOOSE_ENDS_MODE overrides the mode, and is validated too', () => {
    assert.equal(resolveOptions({ mode: 'fail' }, 'config', { LOOSE_ENDS_MODE: 'off' }).mode, 'off');
    assert.equal(resolveOptions({}, 'config', { LOOSE_ENDS_MODE: 'warn' }).mode, 'warn');
    assert.throws(
      () => resolveOptions({}, 'config', { LOOSE_ENDS_MODE: 'loud' }),
      /environment variable LOOSE_ENDS_MODE must be one of "fail", "warn", "off"; got "loud"/,
    );
  });
});
