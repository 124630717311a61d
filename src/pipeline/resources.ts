/**
 * What an analysis needs besides the study, loaded at most once per process: the model of each
 * task (card + ONNX session), the registration templates (prepared: pyramid, gradients), the
 * template brain mask and the lobe and territory atlases. `createResources(loader)` wraps a
 * loader (Node: files, see host/node-resources.ts; a browser: fetched bytes) and memoises each
 * item on first use; `loads` counts the loader's calls, so tests can check that a second
 * analysis loads nothing.
 */
import type { Volume } from '../core/volume.js';
import type { ModelCard } from '../models/model-card.js';
import type { RunPatch } from '../models/sliding-window.js';
import { type PreparedTemplate, prepareTemplate } from '../registration/template-image.js';
import type { AtlasLike, TerritoryAtlasLike } from './localise-lesions.js';
import type { Task } from './select-inputs.js';
import { type TaskSpec, type TemplateKind, taskSpec } from './task-spec.js';

/** A model ready to run: its validated card and a forward pass. */
export interface LoadedModel {
  readonly card: ModelCard;
  /** Where it came from, for the report (a folder, a URL). */
  readonly source: string;
  readonly run: RunPatch;
  release(): Promise<void>;
}

/** How to get each resource; called at most once per item by `createResources`. */
export interface ResourceLoader {
  model(task: Task): Promise<LoadedModel>;
  registrationTemplate(kind: TemplateKind): { readonly name: string; readonly image: Volume };
  /** Template brain mask (> 0 inside) in MNI space. */
  brainMask(): Volume;
  lobeAtlas(): AtlasLike;
  territoryAtlas(): TerritoryAtlasLike;
}

export type ResourceKind = 'model' | 'template' | 'brainMask' | 'lobeAtlas' | 'territoryAtlas';

export interface Resources {
  model(task: Task): Promise<{ readonly model: LoadedModel; readonly spec: TaskSpec }>;
  template(kind: TemplateKind): PreparedTemplate;
  brainMask(): Volume;
  lobeAtlas(): AtlasLike;
  territoryAtlas(): TerritoryAtlasLike;
  /** Loader calls so far, per kind. */
  readonly loads: Readonly<Record<ResourceKind, number>>;
  /** Releases the model sessions (the object is unusable for models afterwards). */
  release(): Promise<void>;
}

function once<T>(make: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = make();
      done = true;
    }
    return value;
  };
}

export function createResources(loader: ResourceLoader): Resources {
  const loads: Record<ResourceKind, number> = {
    model: 0,
    template: 0,
    brainMask: 0,
    lobeAtlas: 0,
    territoryAtlas: 0,
  };
  const counted = <T>(kind: ResourceKind, make: () => T) =>
    once(() => {
      loads[kind]++;
      return make();
    });
  const models = new Map<Task, Promise<{ model: LoadedModel; spec: TaskSpec }>>();
  const templates = new Map<TemplateKind, () => PreparedTemplate>();
  return {
    model(task) {
      let entry = models.get(task);
      if (!entry) {
        loads.model++;
        entry = loader.model(task).then((model) => ({ model, spec: taskSpec(model.card) }));
        // A failed load is not kept: the next call tries (and explains) again.
        entry.catch(() => models.delete(task));
        models.set(task, entry);
      }
      return entry;
    },
    template(kind) {
      let get = templates.get(kind);
      if (!get) {
        get = counted('template', () => {
          const { name, image } = loader.registrationTemplate(kind);
          return prepareTemplate({ image, name, kind });
        });
        templates.set(kind, get);
      }
      return get();
    },
    brainMask: counted('brainMask', () => loader.brainMask()),
    lobeAtlas: counted('lobeAtlas', () => loader.lobeAtlas()),
    territoryAtlas: counted('territoryAtlas', () => loader.territoryAtlas()),
    loads,
    async release() {
      const loaded = await Promise.allSettled(models.values());
      models.clear();
      for (const r of loaded) if (r.status === 'fulfilled') await r.value.model.release();
    },
  };
}
