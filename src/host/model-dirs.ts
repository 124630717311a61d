/**
 * Where each task's shipped model lives inside the installed package (card.json + model.onnx).
 * Its own file so that the service's HTTP side (asset-routes.ts) can name the folders without
 * loading ONNX Runtime.
 */
import { join } from 'node:path';
import type { Task } from '../pipeline/select-inputs.js';

/** Default model folder of each task, inside the installed package. */
export const DEFAULT_MODEL_DIRS: Readonly<Record<Task, string>> = {
  ich: join('models', 'ich-ct'),
  infarct: join('models', 'infarct-dwi'),
};
