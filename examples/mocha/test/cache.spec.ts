import assert from 'node:assert/strict';
import { RefreshingCache } from '../src/cache.js';

const loadPrices = async () => ({ apple: 1.2, pear: 0.9 });

describe('price cache', () => {
  describe('stopped after each test', () => {
    let cache: RefreshingCache<Record<string, number>>;
    beforeEach(async () => {
      cache = new RefreshingCache(loadPrices, 60_000);
      await cache.start();
    });
    afterEach(() => cache.stop());

    it('serves prices once started', () => {
      assert.equal(cache.get().apple, 1.2);
    });
  });

  it('serves prices right after start (forgets cache.stop())', async () => {
    const cache = new RefreshingCache(loadPrices, 60_000);
    await cache.start();
    assert.equal(cache.get().pear, 0.9);
  });
});
