/**
 * Service benchmark (issue 20), `npm run bench:service`: N small synthetic studies, CT and DWI
 * alternating, uploaded over loopback HTTP to the embedded service (`startService` in process),
 * once per configuration (1 and 2 analysis worker threads), each configuration in its own child
 * process (service-bench-child.ts). Throughput, p50/p95 from upload complete (202) to result
 * recorded, peak RSS of the process, and 2 workers against 1 in the same run.
 *
 * `--studies N` (100), `--workers 1,2`, `--concurrency C` (uploads in flight, 2), `--runs R`
 * (1; configurations interleaved, medians per configuration),
 * `--redis URL` (a configuration for the Redis queue: accepted, not measured until that queue
 * exists).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../src/testing/shared-data.js';
import { type MachineInfo, machineInfo } from './report.js';
import type { ChildResult } from './service-bench-child.js';
import { type ServiceConfig, configName } from './service-load.js';
import { percentile } from './stats.js';

interface Options {
  readonly studies: number;
  readonly concurrency: number;
  /** Runs per configuration, interleaved (1, 2, 1, 2, …); the table gives medians. */
  readonly runs: number;
  readonly configs: ServiceConfig[];
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
  const redis = value('--redis');
  if (redis !== undefined)
    configs.push({ kind: 'redis', url: redis, workers: Math.max(...workers) });
  return {
    studies: positive('--studies', 100),
    concurrency: positive('--concurrency', 2),
    runs: positive('--runs', 1),
    configs,
  };
}

type Outcome = { config: ServiceConfig } & ({ result: ChildResult } | { error: string });

/** One configuration's runs. */
interface Measured {
  readonly config: ServiceConfig;
  readonly results: ChildResult[];
  readonly errors: string[];
}

function runConfig(config: ServiceConfig, options: Options): Outcome {
  if (config.kind === 'redis')
    return { config, error: 'the Redis queue is not implemented yet (another branch)' };
  const child = join(repoRoot(), 'dist', 'bench', 'service-bench-child.js');
  const args = [
    child,
    JSON.stringify(config),
    String(options.studies),
    String(options.concurrency),
  ];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) return { config, error: `child failed: ${firstError(r.stderr)}` };
  return { config, result: JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult };
}

/** The first line naming an error in a child's stderr (else its last line). */
function firstError(stderr: string): string {
  const lines = stderr.trim().split('\n');
  return lines.find((l) => /Error\b/.test(l))?.trim() ?? lines.at(-1) ?? '';
}

const s = (ms: number) => (ms / 1000).toFixed(1);
const median = (values: readonly number[]) => percentile(values, 50);

/** One run's numbers. */
function summarise(r: ChildResult) {
  const done = r.studies.filter((t) => t.status === 'done');
  const latency = done.map((t) => t.latencyMs);
  const analysis = (kind: string) =>
    median(done.filter((t) => t.kind === kind && t.analysisMs !== null).map((t) => t.analysisMs!));
  return {
    done: done.length,
    ct: done.filter((t) => t.kind === 'CT').length,
    perMin: r.studies.length / (r.wallMs / 60_000),
    wallMs: r.wallMs,
    p50: percentile(latency, 50),
    p95: percentile(latency, 95),
    ct50: analysis('CT'),
    dwi50: analysis('DWI'),
    cores: r.cpuS / (r.wallMs / 1000),
    load: r.loadAverage,
    peak: r.peakRssMb,
    start: r.startRssMb,
  };
}

/** The markdown table: one row per configuration, medians of its runs; ratio against the first. */
export function formatServiceTable(
  machine: MachineInfo,
  measured: readonly Measured[],
  options: Omit<Options, 'configs'>,
): string {
  const m = machine;
  const lines = [
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB, ${m.platform}, Node ${m.node}; ${m.date}; load average ${m.loadAverage1m.toFixed(1)}.`,
    `${options.studies} studies (CT and DWI alternating), ${options.concurrency} uploads in flight, loopback HTTP; ${options.runs} run${options.runs === 1 ? '' : 's'} per configuration (interleaved, medians), each run in its own process.`,
    '',
    '| configuration | studies done (CT + DWI) | wall s | studies/min (min–max) | upload → done p50 s | p95 s | analysis p50 s CT / DWI | cores used (CPU s / wall s) | load avg during runs | peak RSS MiB (after start) | throughput vs first row |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const notes: string[] = [];
  let firstPerMin: number | undefined;
  for (const c of measured) {
    const name = configName(c.config);
    notes.push(...c.errors.map((e) => `${name}: ${e}`));
    if (c.results.length === 0) {
      lines.push(`| ${name} | not measured | | | | | | | | | |`);
      continue;
    }
    const runs = c.results.map(summarise);
    const med = (f: (r: (typeof runs)[number]) => number) => median(runs.map(f));
    const perMin = runs.map((r) => r.perMin);
    firstPerMin ??= med((r) => r.perMin);
    const ratio = (med((r) => r.perMin) / firstPerMin).toFixed(2);
    const loads = runs.flatMap((r) => r.load);
    const threads = c.results[0]!.threadsPerWorker;
    const total = c.results[0]!.studies.length;
    const failed = c.results.flatMap((r) => r.studies.filter((t) => t.status !== 'done'));
    if (failed.length > 0)
      notes.push(`${name}: ${failed.length} not done, e.g. ${failed[0]!.status}`);
    lines.push(
      `| ${name} × ${threads} ONNX thread${threads === 1 ? '' : 's'} | ${med((r) => r.done)} of ${total} (${med((r) => r.ct)} + ${med((r) => r.done - r.ct)}) | ${s(med((r) => r.wallMs))} | ${med((r) => r.perMin).toFixed(1)} (${Math.min(...perMin).toFixed(1)}–${Math.max(...perMin).toFixed(1)}) | ${s(med((r) => r.p50))} | ${s(med((r) => r.p95))} | ${s(med((r) => r.ct50))} / ${s(med((r) => r.dwi50))} | ${med((r) => r.cores).toFixed(2)} | ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} | ${Math.max(...runs.map((r) => r.peak)).toFixed(0)} (${med((r) => r.start).toFixed(0)}) | ${c === measured[0] ? '1.00' : `**${ratio}**`} |`,
    );
  }
  if (notes.length > 0) lines.push('', ...notes.map((n) => `- ${n}`));
  return lines.join('\n');
}

const options = parseArgs(process.argv.slice(2));
const measured: Measured[] = options.configs.map((config) => ({ config, results: [], errors: [] }));
for (let run = 1; run <= options.runs; run++)
  for (const m of measured) {
    process.stderr.write(
      `service bench: ${configName(m.config)}, ${options.studies} studies, run ${run} of ${options.runs}…\n`,
    );
    const o = runConfig(m.config, options);
    if ('result' in o) m.results.push(o.result);
    else if (!m.errors.includes(o.error)) m.errors.push(o.error);
  }
process.stdout.write(`${formatServiceTable(machineInfo(), measured, options)}\n`);
