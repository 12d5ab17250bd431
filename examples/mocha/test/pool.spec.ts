import assert from 'node:assert/strict';
import { ProcessPool } from '../src/pool.js';

describe('process pool', () => {
  it('doubles a number (never closes the pool)', async () => {
    const pool = new ProcessPool(1);
    assert.equal(await pool.run(21), 42);
  });

  it('doubles a number and closes the pool', async () => {
    const pool = new ProcessPool(1);
    assert.equal(await pool.run(4), 8);
    await pool.close();
  });
});
