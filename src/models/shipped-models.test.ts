/**
 * The default models shipped in `models/`: each file matches the sha256 in its card, the card
 * is valid and says research use only, and onnxruntime-node reproduces the logits PyTorch
 * computed at export on the card's parity sample.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { onnxParityMaxDiff } from '../testing/onnx-parity.js';
import { repoRoot } from '../testing/shared-data.js';
import { verifyModelFile } from './model-files.js';

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
      const maxDiff = await onnxParityMaxDiff(dir);
      assert.ok(maxDiff < 1e-3, `max |onnx − torch| = ${maxDiff}`);
    });
});
