/**
 * A worker's resources when a job names model folders (installed versions, `QueuedJob.modelDirs`):
 * the reference data (templates, atlases) and the default models come from one `Resources`, made
 * once; each named model folder is loaded once and kept, so switching versions (activate,
 * rollback) loads a version at most once per worker and never reloads the reference data.
 */
import { isAbsolute, join, normalize } from 'node:path';
import { loadModelFolder } from '../models/model-loader.js';
import type { Resources } from '../pipeline/resources.js';
import type { Task } from '../pipeline/select-inputs.js';
import { taskSpec } from '../pipeline/task-spec.js';

type LoadedEntry = Awaited<ReturnType<Resources['model']>>;

export interface ModelVersionResourcesOptions {
  /** The data folder the jobs' model folders are relative to. */
  readonly dataDir: string;
  /** Reference data and the models used when a job names none. */
  readonly base: Resources;
  /** ONNX Runtime threads per model. */
  readonly threads: number;
}

export class ModelVersionResources {
  private readonly byFolder = new Map<string, Promise<LoadedEntry>>();

  constructor(private readonly options: ModelVersionResourcesOptions) {}

  /** The resources of one job: its named folders' models, else the base's. */
  forJob(modelDirs: Partial<Record<Task, string>> | undefined): Resources {
    const { base } = this.options;
    if (!modelDirs || Object.keys(modelDirs).length === 0) return base;
    return {
      model: (task) => {
        const folder = modelDirs[task];
        return folder === undefined ? base.model(task) : this.load(folder);
      },
      template: (kind) => base.template(kind),
      brainMask: () => base.brainMask(),
      lobeAtlas: () => base.lobeAtlas(),
      territoryAtlas: () => base.territoryAtlas(),
      loads: base.loads,
      release: () => this.release(),
    };
  }

  private load(folder: string): Promise<LoadedEntry> {
    const relative = normalize(folder);
    if (isAbsolute(relative) || relative.startsWith('..'))
      return Promise.reject(new Error(`model folder outside the data folder: ${folder}`));
    let entry = this.byFolder.get(relative);
    if (!entry) {
      entry = loadModelFolder(join(this.options.dataDir, relative), {
        threads: this.options.threads,
      }).then((model) => ({ model, spec: taskSpec(model.card) }));
      entry.catch(() => this.byFolder.delete(relative));
      this.byFolder.set(relative, entry);
    }
    return entry;
  }

  /** Releases every model session (base and versions). */
  async release(): Promise<void> {
    const loaded = await Promise.allSettled(this.byFolder.values());
    this.byFolder.clear();
    for (const r of loaded) if (r.status === 'fulfilled') await r.value.model.release();
    await this.options.base.release();
  }
}
