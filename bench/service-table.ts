/**
 * The service benchmark's markdown table: one row per configuration, medians of its runs, and
 * throughput against the first row in the same run. Peak RSS is given for the serving process
 * (the benchmark's child: the service, its analysis threads when embedded, and the uploading
 * client) and, for the Redis configurations, per worker process (VmHWM read before it exits).
 */
import type { MachineInfo } from './report.js';
import type { ChildResult } from './service-bench-child.js';
import { type ServiceConfig, configName } from './service-load.js';
import { percentile } from './stats.js';

/** One configuration's runs. */
export interface Measured {
  readonly config: ServiceConfig;
  readonly results: ChildResult[];
  readonly errors: string[];
}

export interface TableOptions {
  readonly studies: number;
  readonly concurrency: number;
  readonly runs: number;
  readonly limitS: number;
}

const s = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(1) : '–');
const mib = (n: number) => n.toFixed(0);
const median = (values: readonly number[]) => percentile(values, 50);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One run's numbers. */
function summarise(r: ChildResult) {
  const done = r.studies.filter((t) => t.status === 'done');
  const latency = done.map((t) => t.latencyMs);
  const analysis = (kind: string) =>
    median(done.filter((t) => t.kind === kind && t.analysisMs !== null).map((t) => t.analysisMs!));
  const others = r.processes.reduce((sum, p) => sum + p.cpuS, 0);
  return {
    done: done.length,
    ct: done.filter((t) => t.kind === 'CT').length,
    perMin:
      r.studies.filter((t) => !t.status.startsWith('unfinished')).length / (r.wallMs / 60_000),
    wallMs: r.wallMs,
    p50: latency.length > 0 ? percentile(latency, 50) : NaN,
    p95: latency.length > 0 ? percentile(latency, 95) : NaN,
    ct50: done.some((t) => t.kind === 'CT') ? analysis('CT') : NaN,
    dwi50: done.some((t) => t.kind === 'DWI') ? analysis('DWI') : NaN,
    cores: (r.cpuS + others) / (r.wallMs / 1000),
    cpuPerStudy: (r.cpuS + others) / Math.max(1, done.length),
    load: r.loadAverage,
    peak: r.peakRssMb,
    start: r.startRssMb,
  };
}

/** "1 worker × 2 ONNX threads" / "… × 1 ONNX thread". */
function rowName(config: ServiceConfig, threads: number): string {
  return `${configName(config)} × ${plural(threads, 'ONNX thread')}`;
}

/** Worker processes' peak RSS (max over runs, by index) with RSS at the start (median). */
function workerPeaks(results: readonly ChildResult[]): string {
  const workers = results.map((r) => r.processes.filter((p) => p.name !== 'redis-server'));
  const count = Math.max(0, ...workers.map((w) => w.length));
  if (count === 0) return '— (threads of the serving process)';
  const at = (i: number) => workers.flatMap((w) => (w[i] ? [w[i]] : []));
  const peaks = Array.from({ length: count }, (_, i) =>
    mib(Math.max(...at(i).map((p) => p.peakRssMb))),
  );
  const starts = Array.from({ length: count }, (_, i) =>
    mib(median(at(i).map((p) => p.startRssMb))),
  );
  return `${peaks.join(' / ')} (${starts.join(' / ')})`;
}

export function formatServiceTable(
  machine: MachineInfo,
  measured: readonly Measured[],
  options: TableOptions,
): string {
  const m = machine;
  const lines = [
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB, ${m.platform}, Node ${m.node}; ${m.date}; load average ${m.loadAverage1m.toFixed(1)}.`,
    `${options.studies} studies (CT and DWI alternating), ${options.concurrency} uploads in flight, loopback HTTP; ${plural(options.runs, 'run')} per configuration (interleaved, medians), each run in its own process, limit ${options.limitS} s per run.`,
    '',
    '| configuration | studies done (CT + DWI) | wall s | studies/min (min–max) | upload → done p50 s | p95 s | analysis p50 s CT / DWI | cores used (CPU s / wall s) | CPU s per study | load avg during runs | serving process peak RSS MiB (after start) | per worker process peak RSS MiB (after start) | throughput vs first row |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const notes: string[] = [];
  let firstPerMin: number | undefined;
  for (const c of measured) {
    const name = configName(c.config);
    notes.push(...c.errors.map((e) => `${name}: ${e}`));
    if (c.results.length === 0) {
      lines.push(`| ${name} | not measured | | | | | | | | | | | |`);
      continue;
    }
    const runs = c.results.map(summarise);
    const med = (f: (r: (typeof runs)[number]) => number) => median(runs.map(f));
    const perMin = runs.map((r) => r.perMin);
    firstPerMin ??= med((r) => r.perMin);
    const ratio = (med((r) => r.perMin) / firstPerMin).toFixed(2);
    const loads = runs.flatMap((r) => r.load);
    const first = c.results[0]!;
    const total = first.studies.length;
    const timedOut = c.results.filter((r) => r.timedOut).length;
    if (timedOut > 0)
      notes.push(
        `${name}: ${timedOut} of ${c.results.length} runs stopped at the time limit (${first.limitS} s) with studies unfinished; their wall time is the limit`,
      );
    const failed = c.results.flatMap((r) => r.studies.filter((t) => t.status !== 'done'));
    if (failed.length > 0)
      notes.push(`${name}: ${failed.length} not done, e.g. ${failed[0]!.status}`);
    const redisPeaks = c.results.flatMap((r) =>
      r.processes.filter((p) => p.name === 'redis-server').map((p) => p.peakRssMb),
    );
    if (redisPeaks.length > 0)
      notes.push(
        `${name}: the throw-away redis-server peaked at ${mib(Math.max(...redisPeaks))} MiB (its CPU is in "cores used")`,
      );
    lines.push(
      `| ${rowName(c.config, first.threadsPerWorker)}${timedOut > 0 ? ` (${plural(timedOut, 'run')} stopped at the time limit)` : ''} | ${med((r) => r.done)} of ${total} (${med((r) => r.ct)} + ${med((r) => r.done - r.ct)}) | ${s(med((r) => r.wallMs))} | ${med((r) => r.perMin).toFixed(1)} (${Math.min(...perMin).toFixed(1)}–${Math.max(...perMin).toFixed(1)}) | ${s(med((r) => r.p50))} | ${s(med((r) => r.p95))} | ${s(med((r) => r.ct50))} / ${s(med((r) => r.dwi50))} | ${med((r) => r.cores).toFixed(2)} | ${med((r) => r.cpuPerStudy).toFixed(2)} | ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} | ${mib(Math.max(...runs.map((r) => r.peak)))} (${mib(med((r) => r.start))}) | ${workerPeaks(c.results)} | ${c === measured[0] ? '1.00' : `**${ratio}**`} |`,
    );
  }
  if (notes.length > 0) lines.push('', ...notes.map((n) => `- ${n}`));
  return lines.join('\n');
}
