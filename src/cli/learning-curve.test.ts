/**
 * `neurotriage experiment learning-curve` end to end on a tiny run: nested training sets,
 * one model per size, one external-site test set, a JSON table and a PNG plot.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../testing/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'nt-lc-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('neurotriage experiment learning-curve', () => {
  it('trains one model per size on nested subsets and plots the scores against N', () => {
    const config = join(root, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        version: 1,
        patchSize: [16, 32, 32],
        batchSize: 1,
        steps: 2,
        baseChannels: 4,
        valInterval: 2,
        valCropSize: [16, 32, 32],
        checkpointInterval: 2,
      }),
    );
    const out = join(root, 'lc');
    const args = ['experiment', 'learning-curve', '--task', 'infarct', '--out', out];
    const r = runCli([
      ...args,
      '--sizes',
      '2,1',
      '--config',
      config,
      '--test-cases',
      '2',
      '--spacing',
      '4',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(readFileSync(join(out, 'learning-curve.json'), 'utf8')) as {
      sizes: number[];
      points: { trainingCases: number; diceMean: number | null }[];
    };
    assert.deepEqual(result.sizes, [1, 2]);
    assert.deepEqual(
      result.points.map((p) => p.trainingCases),
      [1, 2],
    );
    // Nested subsets: the 1-case set is the first case of the 2-case set.
    const ids = (n: number) =>
      (
        JSON.parse(readFileSync(join(out, `n-${n}`, 'arrays', 'index.json'), 'utf8')) as {
          cases: { id: string; split: string }[];
        }
      ).cases
        .filter((c) => c.split === 'train')
        .map((c) => c.id);
    assert.deepEqual(ids(1), ids(2).slice(0, 1));
    assert.equal(ids(2).length, 2);
    const manifest = readFileSync(join(out, 'test', 'manifest.jsonl'), 'utf8')
      .trim()
      .split('\n');
    assert.equal(manifest.length, 2);
    assert.ok(manifest.every((l) => (JSON.parse(l) as { site: string }).site === 'mr-external'));
    const png = readFileSync(join(out, 'learning-curve.png'));
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    assert.match(r.stdout, /n=1: Dice/);
    assert.match(r.stdout, /not a medical device/);
    const bad = runCli([...args, '--sizes', '10,x']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--sizes must be positive integers/);
  });
});
