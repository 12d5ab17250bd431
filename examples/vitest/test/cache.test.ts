import { afterEach, describe, expect, test } from 'vitest';
import { RefreshingCache } from '../src/cache.js';

describe('RefreshingCache', () => {
  let cache: RefreshingCache<number> | undefined;
  afterEach(() => cache?.stop());

  test('refreshes on its interval (stopped in afterEach)', async () => {
    let loads = 0;
    cache = new RefreshingCache(async () => ++loads, 10);
    await cache.start();
    await new Promise((resolve) => setTimeout(resolve, 35));
    expect(cache.get()).toBeGreaterThan(1);
  });

  // LEAK: the cache is started but never stopped — a forgotten clearInterval.
  test('shows the first loaded value', async () => {
    const local = new RefreshingCache(async () => 42, 1000);
    await local.start();
    expect(local.get()).toBe(42);
  });

  // Opted out on purpose: this poller is meant to outlive the test (the tag is declared by the plugin).
  test('a process-wide poller may outlive its test', { tags: ['allow-leaks'] }, async () => {
    const poller = new RefreshingCache(async () => Date.now(), 60_000);
    await poller.start();
    expect(poller.get()).toBeTypeOf('number');
  });
});
