import { afterEach, describe, expect, test } from 'vitest';
import { JobPool } from '../src/pool.js';

describe('JobPool', () => {
  test('runs a short job', async () => {
    const pool = new JobPool();
    expect(await pool.run('6 * 7')).toBe('42');
  });

  describe('with a pool closed after each test', () => {
    const pool = new JobPool();
    afterEach(() => pool.close());

    test('keeps a worker up during the test', () => {
      expect(pool.startWorker().pid).toBeTypeOf('number');
    });
  });

  // LEAK: the worker process is never killed.
  test('starts a long-lived worker', () => {
    const pool = new JobPool();
    expect(pool.startWorker().pid).toBeTypeOf('number');
  });
});
