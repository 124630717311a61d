/**
 * The process's analysis resources on Node: models from the package's `models/` folders (or
 * `--model DIR`), reference data from `../shared/data`. Made once per process and passed to every
 * `analyzeStudy` call; the service's workers make theirs the same way.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserInputError } from '../core/errors.js';
import { dataRoot, packageRoot } from '../io/data-root.js';
import { referenceLoader } from '../io/reference-loader.js';
import { loadModelFolder } from '../models/model-loader.js';
import { DEFAULT_MODEL_DIRS } from './model-dirs.js';
import { type Resources, createResources } from '../pipeline/resources.js';
import type { Task } from '../pipeline/select-inputs.js';

export { DEFAULT_MODEL_DIRS } from './model-dirs.js';

/** The model folder for a task: --model, else the package's default; a clear error if absent. */
export function modelDirFor(task: Task, explicit: string | undefined): string {
  const dir = explicit ? resolve(explicit) : join(packageRoot(), DEFAULT_MODEL_DIRS[task]);
  if (!existsSync(join(dir, 'model.onnx')) || !existsSync(join(dir, 'card.json')))
    throw new UserInputError(
      `no model for task ${task} in ${explicit ? dir : `${DEFAULT_MODEL_DIRS[task]}/`} (needs model.onnx + card.json); train one with neurotriage train --task ${task} --out RUN and pass --model RUN/model`,
      'no-model',
    );
  return dir;
}

export interface NodeResourcesOptions {
  /** A model folder used for whichever task is analysed (`--model`); default per task. */
  readonly model?: string;
  /** Reference data root; default `dataRoot()`. */
  readonly data?: string;
  /** ONNX Runtime threads; default all logical cores. */
  readonly threads?: number;
}

export function nodeResources(options: NodeResourcesOptions = {}): Resources {
  return createResources({
    ...referenceLoader(() => dataRoot(options.data)),
    model: (task) =>
      loadModelFolder(modelDirFor(task, options.model), {
        ...(options.threads !== undefined && { threads: options.threads }),
      }),
  });
}
