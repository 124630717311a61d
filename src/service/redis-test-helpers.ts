/**
 * Test helpers for the Redis queue: a throw-away `redis-server` on a free port of 127.0.0.1 (no
 * persistence), and the built CLI (`serve --redis`, `worker`) as child processes whose output is
 * kept, stopped with SIGTERM or killed with SIGKILL.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './dimse/dimse-test-helpers.js';

/** Whether `redis-server` is on the PATH. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
}

export interface ChildRun {
  /** The banner's match. */
  readonly banner: RegExpExecArray;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Sends the signal and waits for the exit; the exit code (null when killed). */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<number | null>;
}

/** Starts a program and waits until its output matches `banner`. */
export async function startChild(
  command: string,
  args: readonly string[],
  banner: RegExp,
): Promise<ChildRun> {
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let output = '';
  const matched = new Promise<RegExpExecArray>((resolve, reject) => {
    const take = (chunk: string) => {
      output += chunk;
      const m = banner.exec(output);
      if (m) resolve(m);
    };
    child.stdout?.setEncoding('utf8').on('data', take);
    child.stderr?.setEncoding('utf8').on('data', take);
    child.on('exit', () => reject(new Error(`${command} exited: ${output}`)));
  });
  return {
    banner: await matched,
    output: () => output,
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** `node dist/src/cli/main.js …args`, waiting for its banner. */
export function startCli(args: readonly string[], banner: RegExp): Promise<ChildRun> {
  const main = fileURLToPath(new URL('../cli/main.js', import.meta.url));
  return startChild(process.execPath, [main, ...args], banner);
}

export interface TestRedis {
  /** redis://127.0.0.1:PORT */
  readonly url: string;
  stop(): Promise<void>;
}

/** A redis-server on a free port, nothing saved to disk. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const run = await startChild('redis-server', args, /Ready to accept connections/);
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await run.stop('SIGKILL');
    },
  };
}
