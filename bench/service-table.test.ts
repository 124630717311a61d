/**
 * Tests for the service benchmark's table: the ratio column divides by the first row's median
 * throughput, worker processes' peak RSS is given per process (threads of the embedded service
 * have none of their own), a run stopped at its time limit is said so, and a configuration with
 * no run is "not measured" with its reason.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChildResult, StudyTiming } from './service-bench-child.js';
import type { ServiceConfig } from './service-load.js';
import { type Measured, formatServiceTable } from './service-table.js';

const machine = {
  cpuModel: 'Test CPU',
  cores: 2,
  memoryGb: 8,
  node: 'v20.0.0',
  platform: 'linux-x64',
  date: '2026-01-01T00:00:00.000Z',
  loadAverage1m: 0.5,
};
const options = { studies: 4, concurrency: 2, runs: 1, limitS: 300 };
const embedded: ServiceConfig = { kind: 'embedded', workers: 1 };
const redis: ServiceConfig = { kind: 'redis', workers: 2, threads: 1 };

function study(kind: 'CT' | 'DWI', status = 'done'): StudyTiming {
  const done = status === 'done';
  return { kind, status, latencyMs: done ? 1000 : NaN, analysisMs: done ? 500 : null };
}

function result(config: ServiceConfig, wallMs: number, extra: Partial<ChildResult> = {}) {
  const worker = (i: number) => ({
    name: `worker ${i}`,
    startRssMb: 140,
    peakRssMb: 300 + i,
    cpuS: 10,
  });
  const r: ChildResult = {
    config,
    threadsPerWorker: config.kind === 'redis' ? config.threads : 2,
    wallMs,
    timedOut: false,
    limitS: 300,
    uploadMs: 100,
    uploadedBytes: 1,
    studies: [study('CT'), study('DWI'), study('CT'), study('DWI')],
    startRssMb: 130,
    peakRssMb: 400,
    cpuS: 20,
    processes:
      config.kind === 'redis'
        ? [worker(1), worker(2), { name: 'redis-server', startRssMb: 5, peakRssMb: 12, cpuS: 1 }]
        : [],
    loadAverage: [1, 1],
    ...extra,
  };
  return r;
}

const rows = (text: string) =>
  text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| configuration'));

describe('formatServiceTable', () => {
  it('gives throughput against the first row and peak RSS per worker process', () => {
    const measured: Measured[] = [
      { config: embedded, results: [result(embedded, 60_000)], errors: [] },
      { config: redis, results: [result(redis, 30_000)], errors: [] },
    ];
    const [first, second] = rows(formatServiceTable(machine, measured, options));
    assert.match(
      first!,
      /^\| embedded, 1 worker × 2 ONNX threads \| 4 of 4 \(2 \+ 2\) \| 60\.0 \| 4\.0 /,
    );
    assert.match(first!, /\| 400 \(130\) \| — \(threads of the serving process\) \| 1\.00 \|$/);
    assert.match(
      second!,
      /^\| Redis, serve \+ 2 worker processes, each 1 analysis thread × 1 ONNX thread \|/,
    );
    assert.match(second!, /\| 301 \/ 302 \(140 \/ 140\) \| \*\*2\.00\*\* \|$/);
    // (20 s here + 2 × 10 s workers + 1 s redis-server) / 30 s
    assert.match(second!, /\| 1\.37 \| 10\.25 \|/);
  });

  it('says when a run stopped at its time limit, and why a configuration was not measured', () => {
    const late = result(embedded, 300_000, {
      timedOut: true,
      studies: [study('CT'), study('DWI', 'unfinished (queued)')],
    });
    const measured: Measured[] = [
      { config: embedded, results: [late], errors: [] },
      { config: redis, results: [], errors: ['redis-server is not installed'] },
    ];
    const text = formatServiceTable(machine, measured, options);
    const [first, second] = rows(text);
    assert.match(first!, /\(1 run stopped at the time limit\) \| 1 of 2 /);
    assert.match(
      second!,
      /^\| Redis, serve \+ 2 worker processes, each 1 analysis thread \| not measured \|/,
    );
    assert.match(
      text,
      /- Redis, serve \+ 2 worker processes, each 1 analysis thread: redis-server is not installed/,
    );
    assert.match(text, /1 not done, e\.g\. unfinished \(queued\)/);
  });
});
