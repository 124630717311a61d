/**
 * The parity check every exported model carries: run `model.onnx` with onnxruntime-node on the
 * card's parity input and return the largest |ONNX − PyTorch| over the logits PyTorch computed
 * at export (`parity/input.npy`, `parity/torch_logits.npy`).
 */
import { join } from 'node:path';
import { readNpyFile } from '../io/npy.js';
import { loadOnnxModel } from '../models/onnx-model.js';

export async function onnxParityMaxDiff(modelDir: string): Promise<number> {
  const input = await readNpyFile(join(modelDir, 'parity', 'input.npy'));
  const torch = await readNpyFile(join(modelDir, 'parity', 'torch_logits.npy'));
  const session = await loadOnnxModel(join(modelDir, 'model.onnx'), { threads: 1 });
  const logits = await session.run(
    input.data as Float32Array,
    input.shape as unknown as [1, number, number, number, number],
  );
  await session.release();
  if (logits.length !== torch.data.length)
    throw new Error(`logits have ${logits.length} values, PyTorch's ${torch.data.length}`);
  let maxDiff = 0;
  for (let n = 0; n < logits.length; n++)
    maxDiff = Math.max(maxDiff, Math.abs(logits[n]! - torch.data[n]!));
  return maxDiff;
}
