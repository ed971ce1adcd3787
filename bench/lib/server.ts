import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { once } from 'node:events';

const CHILD = path.join(path.dirname(new URL(import.meta.url).pathname), 'server-child.ts');

export interface Memory {
  rss: number;
  peak: number;
  heapUsed: number;
  heapTotal: number;
  /** Memory outside the V8 heap held by JavaScript objects (Buffers, sockets). */
  external: number;
  /** The breakdown taken at the peak (bytes): V8 heap used and reserved, external, array buffers. */
  atPeak: { heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
}

/** A server child process on 127.0.0.1 (the application, or a bare route), with its memory on request. */
export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly startupRss: number,
  ) {}

  static async start(kind: 'app' | 'bare' | 'raw-http', env: Record<string, string>): Promise<ServerProcess> {
    const child = fork(CHILD, [], {
      execArgv: ['--import', 'tsx', ...(process.env.LTC_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LTC_BENCH_CPU_PROF}`] : [])],
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', ...env, BENCH_SERVER: kind, PORT: '0', HOST: '127.0.0.1' },
      // Request logs go nowhere, as they would go to a log collector; errors still show.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const ready = await new Promise<{ port: number; rss: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not start within 60 s')), 60_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the server exited with ${code} before it was ready`));
      });
      child.on('message', (m: any) => {
        if (m?.type === 'ready') {
          clearTimeout(timer);
          resolve(m);
        }
      });
    });
    return new ServerProcess(child, ready.port, ready.rss);
  }

  get pid(): number {
    return this.child.pid!;
  }

  private ask<T>(type: string): Promise<T> {
    return new Promise((resolve) => {
      const on = (m: any) => {
        if (m?.type === type) {
          this.child.off('message', on);
          resolve(m as T);
        }
      };
      this.child.on('message', on);
      this.child.send({ type });
    });
  }

  memory(): Promise<Memory> {
    return this.ask<Memory>('memory');
  }

  /** CPU time (user + system) the server process has used so far, in ms: a figure the machine's load hardly moves. */
  async cpuMs(): Promise<number> {
    return (await this.ask<{ ms: number }>('cpu')).ms;
  }

  async resetPeak(): Promise<void> {
    await this.ask('reset-peak');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
