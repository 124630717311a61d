/**
 * A model folder (card.json + model.onnx) → a model ready to run: the card validated, the ONNX
 * file checked against the card's sha256, a CPU session created. Node only (files,
 * onnxruntime-node); a browser builds the same shape from fetched bytes with `parseModelCard`,
 * `verifyModelBytes` and onnxruntime-web. Made once per process (pipeline `Resources`).
 */
import { join } from 'node:path';
import type { ModelCard } from './model-card.js';
import { verifyModelFile } from './model-files.js';
import { type LoadOnnxOptions, loadOnnxModel } from './onnx-model.js';
import type { RunPatch } from './sliding-window.js';

export interface ReadyModel {
  readonly card: ModelCard;
  /** The folder it was read from. */
  readonly source: string;
  readonly run: RunPatch;
  release(): Promise<void>;
}

export async function loadModelFolder(
  dir: string,
  options: Pick<LoadOnnxOptions, 'threads'> = {},
): Promise<ReadyModel> {
  const { card, bytes } = await verifyModelFile(join(dir, 'card.json'), join(dir, 'model.onnx'));
  const onnx = await loadOnnxModel(bytes, options);
  return {
    card,
    source: dir,
    run: (patch, shape) => onnx.run(patch, shape),
    release: () => onnx.release(),
  };
}
