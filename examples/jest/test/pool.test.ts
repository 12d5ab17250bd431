import { ProcessPool } from '../src/worker-pool';

test('starts helper processes and never stops them', async () => {
  await new ProcessPool().start(1);
});

test('starts helper processes and stops them', async () => {
  const pool = new ProcessPool();
  await pool.start(2);
  await pool.stop();
});
