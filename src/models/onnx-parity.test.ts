/**
 * The whole split, end to end on a tiny problem: TypeScript writes the training arrays
 * (.npy + index.json), Debian's PyTorch (`training/`) trains a few steps and exports ONNX with
 * a card and a parity sample, and onnxruntime-node must reproduce PyTorch's logits on that
 * sample; the card's sha256 must match the file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createRng } from '../core/random.js';
import { writeNpyFile } from '../io/npy.js';
import { onnxParityMaxDiff } from '../testing/onnx-parity.js';
import { repoRoot } from '../testing/shared-data.js';
import { verifyModelFile } from './model-files.js';

const root = mkdtempSync(join(tmpdir(), 'nt-parity-'));
after(() => rmSync(root, { recursive: true, force: true }));

function python(args: string[]): void {
  const r = spawnSync('/usr/bin/python3', ['-m', ...args], {
    cwd: join(repoRoot(), 'training'),
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `python ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
}

async function writeDataset(dir: string): Promise<void> {
  const rng = createRng(11);
  const [z, y, x] = [16, 32, 32];
  const cases = [];
  for (let n = 0; n < 4; n++) {
    const image = new Float32Array(z * y * x);
    const label = new Uint8Array(z * y * x);
    const c = [rng.uniform(5, 11), rng.uniform(8, 24), rng.uniform(8, 24)];
    for (let k = 0; k < z; k++)
      for (let j = 0; j < y; j++)
        for (let i = 0; i < x; i++) {
          const v = i + x * (j + y * k);
          const inside = (k - c[0]!) ** 2 + (j - c[1]!) ** 2 + (i - c[2]!) ** 2 < 16;
          image[v] = (inside ? 1 : 0) + rng.normal(0, 0.1);
          label[v] = inside ? 1 : 0;
        }
    const id = `c${n}`;
    mkdirSync(join(dir, 'cases', id), { recursive: true });
    await writeNpyFile(join(dir, 'cases', id, 'image.npy'), { data: image, shape: [1, z, y, x] });
    await writeNpyFile(join(dir, 'cases', id, 'label.npy'), { data: label, shape: [z, y, x] });
    cases.push({
      id,
      image: `cases/${id}/image.npy`,
      label: `cases/${id}/label.npy`,
      shape: [1, z, y, x],
      site: 'test',
      split: n < 3 ? 'train' : 'val',
    });
  }
  const index = {
    version: 1,
    task: 'ich',
    channels: ['ct'],
    labels: { 1: 'intraparenchymal' },
    spacingMm: [2, 2, 2],
    normalisation: 'ct-brain-window',
    cases,
  };
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
}

describe('TypeScript arrays → PyTorch training → ONNX → onnxruntime-node', () => {
  it('onnxruntime reproduces the PyTorch logits and the card matches the file', async () => {
    const data = join(root, 'data');
    const run = join(root, 'run');
    const model = join(root, 'model');
    await writeDataset(data);
    const config = join(root, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        version: 1,
        patchSize: [16, 32, 32],
        batchSize: 2,
        steps: 3,
        seed: 3,
        baseChannels: 8,
        valInterval: 3,
        valCropSize: [16, 32, 32],
        checkpointInterval: 3,
      }),
    );
    python(['neurotriage_train.train', '--data', data, '--out', run, '--config', config]);
    python([
      'neurotriage_train.export',
      '--checkpoint',
      join(run, 'checkpoint.pt'),
      '--out',
      join(model, 'model.onnx'),
      '--card',
      join(model, 'card.json'),
      '--parity-shape',
      '16',
      '32',
      '32',
    ]);
    await verifyModelFile(join(model, 'card.json'), join(model, 'model.onnx'));
    const maxDiff = await onnxParityMaxDiff(model);
    assert.ok(maxDiff < 1e-4, `max |onnx − torch| = ${maxDiff}`);
  });
});
