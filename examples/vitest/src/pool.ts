import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** Runs jobs in long-lived child processes (here: Node evaluating a snippet and printing its result). */
export class JobPool {
  private readonly children = new Set<ChildProcess>();

  /** Starts a worker that stays up until `close()`. */
  startWorker(): ChildProcess {
    const child = spawn(process.execPath, ['-e', 'process.stdin.resume()'], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    this.children.add(child);
    return child;
  }

  /** Runs one short job and resolves with its output. */
  async run(expression: string): Promise<string> {
    const child = spawn(process.execPath, ['-p', expression], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    await once(child, 'exit');
    return output.trim();
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.children].map(async (child) => {
        child.kill();
        if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
      }),
    );
    this.children.clear();
  }
}
