/**
 * Service benchmark (issue 20), `npm run bench:service`: N small synthetic studies, CT and DWI
 * alternating, uploaded over loopback HTTP, once per configuration: the embedded service
 * (`startService` in process) with 1 and 2 analysis worker threads, and `serve --redis`
 * (`startService({ redis })` in process) with 1 and 2 `neurotriage worker` processes (each 1
 * analysis thread), on a throw-away redis-server per run. Each run is its own child process
 * (service-bench-child.ts). Throughput, p50/p95 from upload complete (202) to result recorded,
 * peak RSS of the serving process and of each worker process, and every row against the first in
 * the same run.
 *
 * `--studies N` (100), `--workers 1,2` (threads of the embedded service, and worker processes
 * on Redis), `--concurrency C` (uploads in flight, 2), `--runs R` (1; configurations
 * interleaved, medians per configuration), `--limit-s S` (300: a run still unfinished S seconds
 * after its first upload is stopped and reported as such), `--redis URL` (an existing Redis
 * instead of a throw-away redis-server; give it a database of its own), `--no-redis` (embedded
 * only), `--json FILE` (the raw results as well, to format again).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../src/testing/shared-data.js';
import { machineInfo } from './report.js';
import type { ChildResult } from './service-bench-child.js';
import { type ServiceConfig, configName } from './service-load.js';
import { hasRedisServer } from './service-processes.js';
import { type Measured, type TableOptions, formatServiceTable } from './service-table.js';

interface Options extends TableOptions {
  readonly configs: ServiceConfig[];
  /** Why the Redis rows are not measured, when they cannot be. */
  readonly redisMissing?: string;
}

function parseArgs(argv: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const positive = (flag: string, fallback: number): number => {
    const n = Number(value(flag) ?? fallback);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} wants a positive integer`);
    return n;
  };
  const workers = (value('--workers') ?? '1,2').split(',').map(Number);
  if (workers.some((w) => !Number.isInteger(w) || w < 1))
    throw new Error('--workers wants a list such as 1,2');
  const configs: ServiceConfig[] = workers.map((w) => ({ kind: 'embedded', workers: w }));
  const url = value('--redis');
  const withRedis = !argv.includes('--no-redis');
  if (withRedis)
    for (const w of workers) {
      // ONNX threads: the cores shared among the worker processes, as the embedded default does.
      const threads = Math.max(1, Math.floor(availableParallelism() / w));
      configs.push({ kind: 'redis', ...(url !== undefined && { url }), workers: w, threads });
    }
  const missing = withRedis && url === undefined && !hasRedisServer();
  return {
    studies: positive('--studies', 100),
    concurrency: positive('--concurrency', 2),
    runs: positive('--runs', 1),
    limitS: positive('--limit-s', 300),
    configs,
    ...(missing && {
      redisMissing:
        'redis-server is not installed (apt-get install redis-server) and no --redis URL',
    }),
  };
}

type Outcome = { result: ChildResult } | { error: string };

/** Time after the run's own limit before the whole child process group is killed. */
const KILL_AFTER_MS = 90_000;

/** One run in its own process group, so that a child past its limit is killed with its own. */
function runConfig(config: ServiceConfig, options: Options): Promise<Outcome> {
  if (config.kind === 'redis' && options.redisMissing !== undefined)
    return Promise.resolve({ error: options.redisMissing });
  const child = join(repoRoot(), 'dist', 'bench', 'service-bench-child.js');
  const args = [child, JSON.stringify(config), options.studies, options.concurrency];
  const proc = spawn(process.execPath, [...args.map(String), String(options.limitS)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  proc.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-65536)));
  let killed = false;
  const timer = setTimeout(
    () => {
      killed = true;
      if (proc.pid !== undefined) process.kill(-proc.pid, 'SIGKILL');
    },
    options.limitS * 1000 + KILL_AFTER_MS,
  );
  return new Promise((resolve) => {
    proc.on('close', (code) => {
      clearTimeout(timer);
      if (killed)
        resolve({
          error: `killed ${KILL_AFTER_MS / 1000} s past the time limit of ${options.limitS} s`,
        });
      else if (code !== 0) resolve({ error: `child failed: ${firstError(stderr)}` });
      else resolve({ result: JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult });
    });
  });
}

/** The first line naming an error in a child's stderr (else its last line). */
function firstError(stderr: string): string {
  const lines = stderr.trim().split('\n');
  return lines.find((l) => /\w*Error: /.test(l))?.trim() ?? lines.at(-1) ?? '';
}

const argv = process.argv.slice(2);
const options = parseArgs(argv);
const measured: Measured[] = options.configs.map((config) => ({ config, results: [], errors: [] }));
for (let run = 1; run <= options.runs; run++)
  for (const m of measured) {
    process.stderr.write(
      `service bench: ${configName(m.config)}, ${options.studies} studies, run ${run} of ${options.runs}…\n`,
    );
    const o = await runConfig(m.config, options);
    if ('result' in o) m.results.push(o.result);
    else if (!m.errors.includes(o.error)) m.errors.push(o.error);
  }
const machine = machineInfo();
const json = argv.indexOf('--json');
if (json >= 0)
  writeFileSync(
    argv[json + 1] ?? 'service-bench.json',
    JSON.stringify({ machine, options, measured }),
  );
process.stdout.write(`${formatServiceTable(machine, measured, options)}\n`);
