/**
 * The files an in-browser analysis needs, public like the viewer's own files (they hold no
 * patient data): each task's shipped model (`/assets/models/<task>/model.onnx` and `card.json`,
 * from the folder the service's workers use) and the reference data the analysis reads
 * (`/assets/reference/<relative path>`, io/reference-files.ts). One fixed route per file: no
 * parameters, no directory listing, nothing a client can steer. A file missing here answers 404.
 */
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_MODEL_DIRS } from '../host/model-dirs.js';
import { dataRoot, packageRoot } from '../io/data-root.js';
import {
  ANALYSIS_REFERENCE_FILES,
  ASSET_PATHS,
  type AnalysisReferenceFile,
} from '../io/reference-files.js';
import type { Task } from '../pipeline/select-inputs.js';

export interface AssetRoutesOptions {
  /** One model folder for every task (`--model`); default the package's per task. */
  readonly model?: string;
  /** Reference data root; default `../shared/data`. */
  readonly referenceData?: string;
}

const TASKS: readonly Task[] = ['ich', 'infarct'];
const MODEL_FILES = ['model.onnx', 'card.json'] as const;

/** Every public asset route (for the token hook), with the file each serves. */
export function assetFiles(options: AssetRoutesOptions): Map<string, () => string> {
  const files = new Map<string, () => string>();
  for (const task of TASKS)
    for (const file of MODEL_FILES)
      files.set(ASSET_PATHS.model(task, file), () =>
        join(options.model ?? join(packageRoot(), DEFAULT_MODEL_DIRS[task]), file),
      );
  for (const key of Object.keys(ANALYSIS_REFERENCE_FILES) as AnalysisReferenceFile[])
    files.set(ASSET_PATHS.reference(key), () =>
      join(dataRoot(options.referenceData), ...ANALYSIS_REFERENCE_FILES[key].split('/')),
    );
  return files;
}

export const ASSET_ROUTES: readonly string[] = [...assetFiles({}).keys()];

function contentType(path: string): string {
  if (path.endsWith('.json')) return 'application/json';
  if (path.endsWith('.csv') || path.endsWith('.txt')) return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

export function registerAssetRoutes(app: FastifyInstance, options: AssetRoutesOptions): void {
  for (const [route, file] of assetFiles(options))
    app.get(route, { schema: { hide: true } }, async (_request, reply) => {
      let path: string;
      try {
        path = file();
      } catch {
        path = '';
      }
      if (!path || !existsSync(path))
        return reply.code(404).send({ error: 'this file is not installed here' });
      return reply
        .header('cross-origin-resource-policy', 'same-origin')
        .header('cache-control', 'public, max-age=3600')
        .type(contentType(path))
        .send(createReadStream(path));
    });
}
