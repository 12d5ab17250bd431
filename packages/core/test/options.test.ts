import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LooseEndsOptions } from '../src/index.js';
import { DEFAULT_OPTIONS, LooseEndsOptionsError, leakAllowed, resolveOptions } from '../src/index.js';

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
      message:
        'loose-ends: option "mode" in config must be one of "fail", "warn", "off"; got "fial". Did you mean "fail"?',
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

  test('a typo of an accepted word gets a suggestion', () => {
    assert.throws(() => resolveOptions({ mode: 'wran' }, 'config', {}), {
      message:
        'loose-ends: option "mode" in config must be one of "fail", "warn", "off"; got "wran". Did you mean "warn"?',
    });
    assert.throws(
      () => resolveOptions({ contain: 'clsoe' }, 'config', {}),
      /option "contain" in config must be one of "close", "unref", "none"; got "clsoe"\. Did you mean "close"\?/,
    );
    assert.throws(
      () => resolveOptions({ ignoreType: ['interval'] }, 'config', {}),
      /unknown option "ignoreType" in config\. Did you mean "ignoreTypes"\? Accepted options: mode, ignoreTypes/,
    );
    assert.throws(
      () => resolveOptions({}, 'config', { LOOSE_ENDS_MODE: 'of' }),
      /LOOSE_ENDS_MODE must be one of "fail", "warn", "off"; got "of"\. Did you mean "off"\?/,
    );
    // Nothing near enough: no guess.
    assert.throws(
      () => resolveOptions({ mode: 'loud' }, 'config', {}),
      (error: Error) => !error.message.includes('Did you mean'),
    );
  });

  test('ignoreTypes takes kinds and async_hooks types; an unknown kind names the option, the accepted values and a suggestion', () => {
    const resolved = resolveOptions(
      { ignoreTypes: ['interval', 'TCPWRAP', 'Timeout', 'FSREQCALLBACK'] },
      'config',
      {},
    );
    assert.deepEqual([...resolved.ignoreTypes], ['interval', 'TCPWRAP', 'Timeout', 'FSREQCALLBACK']);
    assert.throws(
      () => resolveOptions({ ignoreTypes: ['intervals'] }, 'testEnvironmentOptions.looseEnds', {}),
      (error: Error) =>
        error instanceof LooseEndsOptionsError &&
        error.message.startsWith(
          'loose-ends: option "ignoreTypes" in testEnvironmentOptions.looseEnds: "intervals" is not a resource kind. Did you mean "interval"? ' +
            'It takes resource kinds (timeout, interval, immediate, server,',
        ),
    );
    assert.throws(
      () => resolveOptions({ ignoreTypes: ['child_process'] }, 'config', {}),
      /"child_process" is not a resource kind\. Did you mean "child-process"\?/,
    );
  });

  test('a typo of a kind is a TypeScript error (checked by the typecheck) as well as a run-time one', () => {
    const typo: LooseEndsOptions = {
      // @ts-expect-error 'intervals' is not a kind: the names come from the kind table.
      ignoreTypes: ['intervals'],
    };
    assert.throws(() => resolveOptions(typo, 'config', {}), /Did you mean "interval"\?/);
    // @ts-expect-error the same union types allowLeaks and leakAllowed.
    assert.throws(() => leakAllowed(() => {}, 'intervals'), /Did you mean "interval"\?/);
    const fine: LooseEndsOptions = { ignoreTypes: ['interval', 'child-process', 'TCPWRAP', 'Timeout'] };
    assert.equal(resolveOptions(fine, 'config', {}).ignoreTypes.size, 4);
  });

  test('ignoreTypes takes the type name of an AsyncResource of your own only with asyncResources on', () => {
    assert.throws(
      () => resolveOptions({ ignoreTypes: ['DbQuery'] }, 'config', {}),
      /"DbQuery" is not a resource kind\. It takes .* \(the type name of an AsyncResource of your own is accepted with asyncResources: true\)\./,
    );
    const resolved = resolveOptions({ ignoreTypes: ['DbQuery'], asyncResources: true }, 'config', {});
    assert.ok(resolved.ignoreTypes.has('DbQuery'));
    // A near miss of a kind is still a typo, not a type of your own.
    assert.throws(
      () => resolveOptions({ ignoreTypes: ['sever'], asyncResources: true }, 'config', {}),
      /"sever" is not a resource kind\. Did you mean "server"\?/,
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
