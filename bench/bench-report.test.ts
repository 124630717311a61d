/**
 * Tests for the benchmark's statistics and table: the median is the middle run, and the ratio
 * column divides our median by the peer's; percentiles take the nearest rank. Runs with the rest
 * (`node scripts/run-tests.mjs bench`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Measurement } from './measure.js';
import { formatMarkdown, timeRatio } from './report.js';
import { percentile, summariseTimes } from './stats.js';

function measurement(tool: Measurement['tool'], timesMs: number[]): Measurement {
  return {
    tool,
    dataset: 'CT',
    files: 28,
    timesMs,
    summary: summariseTimes(timesMs),
    warmupMs: 1,
    initMs: 0,
    baselineRssMb: 50,
    peakRssMb: 150,
    output: '1 volume',
    toolVersion: 'v1',
  };
}

const machine = {
  cpuModel: 'Test CPU',
  cores: 4,
  memoryGb: 8,
  node: 'v20.0.0',
  platform: 'linux-x64',
  date: '2026-01-01T00:00:00.000Z',
  loadAverage1m: 0.5,
};

describe('summariseTimes', () => {
  it('takes the middle of an odd count, whatever the order, with min and max', () => {
    assert.deepEqual(summariseTimes([50, 10, 40, 20, 30]), {
      runs: 5,
      medianMs: 30,
      minMs: 10,
      maxMs: 50,
    });
  });
  it('averages the two middle values of an even count', () => {
    assert.equal(summariseTimes([4, 1, 3, 2]).medianMs, 2.5);
  });
  it('refuses an empty list', () => {
    assert.throws(() => summariseTimes([]), /no timings/);
  });
});

describe('formatMarkdown', () => {
  const ours = measurement('neurotriage', [200, 210, 190, 400, 205]);
  const peer = measurement('dcm2niix', [100, 100, 100, 100, 100]);
  const text = formatMarkdown({ machine, runs: 5, results: [ours, peer] });

  it('puts our median over the peer median in the ratio column', () => {
    assert.equal(timeRatio(ours, peer), 2.05);
    const oursRow = text.split('\n').find((l) => l.includes('| NeuroTriage |'));
    assert.ok(oursRow, text);
    assert.match(oursRow, /\| 205 \| 190–400 \| 150 \(50\) \| \*\*2\.05\*\* \|$/);
  });
  it('names the machine and the number of runs', () => {
    assert.match(text, /Test CPU, 4 cores/);
    assert.match(text, /Node v20\.0\.0/);
    assert.match(text, /Median of 5 runs/);
  });
  it('says why the peer is missing when it was not measured', () => {
    const alone = formatMarkdown({ machine, runs: 5, results: [ours], peerError: 'not installed' });
    assert.match(alone, /Peer not measured: not installed/);
    assert.doesNotMatch(alone, /\*\*/);
  });
});

describe('percentile', () => {
  it('takes the nearest rank: p50 of 1…10 is 5, p95 is 10, p0 the smallest', () => {
    const values = [7, 3, 10, 1, 9, 2, 8, 4, 6, 5];
    assert.equal(percentile(values, 50), 5);
    assert.equal(percentile(values, 95), 10);
    assert.equal(percentile(values, 0), 1);
    assert.equal(percentile([42], 95), 42);
    assert.ok(Number.isNaN(percentile([], 50)));
  });
});
