/**
 * The processes of the service benchmark's Redis configurations: a throw-away `redis-server` (a
 * free port of 127.0.0.1, nothing saved to disk, as in the tests) and `neurotriage worker`
 * processes (the built CLI). Each is read from /proc (peak RSS = VmHWM, CPU = utime + stime)
 * while it still runs; stopping sends SIGTERM, then SIGKILL after a grace time.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../src/service/dimse/dimse-test-helpers.js';
import { repoRoot } from '../src/testing/shared-data.js';

/** What one helper process used over a run. */
export interface ProcessUsage {
  readonly name: string;
  /** VmRSS when the run started, MiB. */
  readonly startRssMb: number;
  /** VmHWM (the kernel's high-water mark) just before it was stopped, MiB. */
  readonly peakRssMb: number;
  /** utime + stime over the run, s. */
  readonly cpuS: number;
}

export interface BenchProcess {
  readonly name: string;
  readonly pid: number;
  /** The last few KiB of its stdout and stderr. */
  output(): string;
  /** SIGTERM, SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs: number): Promise<void>;
}

const TAIL = 4096;

/** Starts a program and waits (at most `timeoutMs`) until its output matches `banner`. */
export async function startProcess(options: {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly banner: RegExp;
  readonly timeoutMs: number;
}): Promise<BenchProcess> {
  const child: ChildProcess = spawn(options.command, options.args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let output = '';
  let seen = '';
  let matched = false;
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`${options.name}: no banner after ${options.timeoutMs} ms: ${output}`)),
      options.timeoutMs,
    );
    const take = (chunk: string) => {
      output = (output + chunk).slice(-TAIL);
      if (matched) return;
      seen += chunk;
      if (options.banner.test(seen)) {
        matched = true;
        seen = '';
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.setEncoding('utf8').on('data', take);
    child.stderr?.setEncoding('utf8').on('data', take);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited (${code ?? signal}): ${output}`));
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const proc: BenchProcess = {
    name: options.name,
    pid: child.pid ?? -1,
    output: () => output,
    async stop(graceMs) {
      if (!running()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => running() && child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await ready;
  } catch (e) {
    await proc.stop(0);
    throw e;
  }
  return proc;
}

/** A redis-server on a free port of 127.0.0.1, no persistence; `url` is redis://127.0.0.1:PORT. */
export async function startRedisServer(
  timeoutMs: number,
): Promise<{ url: string; process: BenchProcess }> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const process = await startProcess({
    name: 'redis-server',
    command: 'redis-server',
    args,
    banner: /Ready to accept connections/,
    timeoutMs,
  });
  return { url: `redis://127.0.0.1:${port}`, process };
}

/** Whether `redis-server` is on the PATH. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** `neurotriage worker --redis URL --data DIR --concurrency 1 --threads T` (the built CLI). */
export function startWorkerProcess(options: {
  readonly index: number;
  readonly url: string;
  readonly dataDir: string;
  readonly threads: number;
  readonly timeoutMs: number;
}): Promise<BenchProcess> {
  const main = join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
  const args = [main, 'worker', '--redis', options.url, '--data', options.dataDir];
  args.push('--concurrency', '1', '--threads', String(options.threads));
  return startProcess({
    name: `worker ${options.index + 1}`,
    command: process.execPath,
    args,
    banner: /neurotriage worker on redis/,
    timeoutMs: options.timeoutMs,
  });
}

const MIB_PER_KB = 1 / 1024;

/** VmRSS and VmHWM of a running process, MiB. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rssMb: kb('VmRSS') * MIB_PER_KB, peakMb: kb('VmHWM') * MIB_PER_KB };
}

let ticksPerSecond: number | undefined;

/** utime + stime of a running process (all its threads), s. */
export function cpuSecondsOf(pid: number): number {
  ticksPerSecond ??=
    Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces), in brackets: state is field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Marks the start of a run; `usage()` gives each process's use since then (call before stop). */
export function usageSince(processes: readonly BenchProcess[]): () => ProcessUsage[] {
  const start = processes.map((p) => ({ rss: memoryOf(p.pid).rssMb, cpu: cpuSecondsOf(p.pid) }));
  return () =>
    processes.map((p, i) => ({
      name: p.name,
      startRssMb: start[i]!.rss,
      peakRssMb: memoryOf(p.pid).peakMb,
      cpuS: cpuSecondsOf(p.pid) - start[i]!.cpu,
    }));
}
