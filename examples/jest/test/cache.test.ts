import { RefreshingCache } from '../src/cache';

describe('RefreshingCache', () => {
  test('serves the loaded value (and forgets to stop the refresh)', () => {
    const cache = new RefreshingCache(() => 42, 1000).start();
    expect(cache.get()).toBe(42);
  });

  test('serves the loaded value and stops', () => {
    const cache = new RefreshingCache(() => 42, 1000).start();
    expect(cache.get()).toBe(42);
    cache.stop();
  });
});

describe('a cache started in beforeEach', () => {
  let cache: RefreshingCache<number>;
  beforeEach(() => {
    cache = new RefreshingCache(() => 7, 500).start();
  });
  // No afterEach(() => cache.stop()): every test here leaves the refresh running.
  test('reads the value', () => {
    expect(cache.get()).toBe(7);
  });
});
