/**
 * The default models shipped in `models/`: each file matches the sha256 in its card, the card
 * is valid and says research use only, and onnxruntime-node reproduces the logits PyTorch
 * computed at export on the card's parity sample.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readNpyFile } from '../io/npy.js';
import { repoRoot } from '../testing/shared-data.js';
import { verifyModelFile } from './model-files.js';
import { loadOnnxModel } from './onnx-model.js';

describe('shipped default models', () => {
  for (const [name, task] of [
    ['infarct-dwi', 'infarct'],
    ['ich-ct', 'ich'],
  ] as const)
    it(`models/${name}: sha256 matches, research use only, ONNX reproduces PyTorch`, async () => {
      const dir = join(repoRoot(), 'models', name);
      const { card } = await verifyModelFile(join(dir, 'card.json'), join(dir, 'model.onnx'));
      assert.equal(card.task, task);
      assert.match(card.intendedUse, /research use only/i);
      const input = await readNpyFile(join(dir, 'parity', 'input.npy'));
      const torch = await readNpyFile(join(dir, 'parity', 'torch_logits.npy'));
      const session = await loadOnnxModel(join(dir, 'model.onnx'), { threads: 1 });
      const logits = await session.run(
        input.data as Float32Array,
        input.shape as unknown as [1, number, number, number, number],
      );
      await session.release();
      assert.equal(logits.length, torch.data.length);
      let maxDiff = 0;
      for (let n = 0; n < logits.length; n++)
        maxDiff = Math.max(maxDiff, Math.abs(logits[n]! - torch.data[n]!));
      assert.ok(maxDiff < 1e-3, `max |onnx − torch| = ${maxDiff}`);
    });
});
