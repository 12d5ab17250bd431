import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** Long-lived helper processes (here: idle Node processes standing in for real workers). */
export class ProcessPool {
  private readonly children: ChildProcess[] = [];

  async start(size: number): Promise<void> {
    for (let i = 0; i < size; i++) {
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      await once(child, 'spawn');
      this.children.push(child);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.splice(0).map(async (child) => {
        child.kill();
        // One that has already exited (killed by someone else) will not emit 'exit' again.
        if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
      }),
    );
  }
}
