import { type ChildProcess, spawn } from 'node:child_process';

const WORKER = `process.stdin.on('data', (line) => process.stdout.write(String(Number(line) * 2)));`;

/** A pool of child processes that double numbers: stands in for image resizers, renderers… */
export class ProcessPool {
  private readonly children: ChildProcess[];
  private next = 0;

  constructor(size: number) {
    this.children = Array.from({ length: size }, () => spawn(process.execPath, ['-e', WORKER]));
  }

  run(input: number): Promise<number> {
    const child = this.children[this.next++ % this.children.length]!;
    return new Promise((resolve) => {
      child.stdout!.once('data', (data) => resolve(Number(String(data))));
      child.stdin!.write(`${input}\n`);
    });
  }

  async close(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise((resolve) => {
            child.once('exit', resolve);
            child.kill();
          }),
      ),
    );
  }
}
