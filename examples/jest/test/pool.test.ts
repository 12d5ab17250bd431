import { ProcessPool } from '../src/worker-pool';

// The leaky test below has already been judged by the time afterAll runs; stopping its pool here
// keeps the demo from leaving an orphaned process on your machine.
const forgotten: ProcessPool[] = [];
afterAll(() => Promise.all(forgotten.map((pool) => pool.stop())));

test('starts helper processes and never stops them', async () => {
  const pool = new ProcessPool();
  forgotten.push(pool);
  await pool.start(1);
});

test('starts helper processes and stops them', async () => {
  const pool = new ProcessPool();
  await pool.start(2);
  await pool.stop();
});
