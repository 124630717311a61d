/**
 * The analysis's `Resources` in a browser worker: the same `createResources` as on Node, over a
 * loader that reads bytes fetched from the service's public assets (`/assets/models/<task>/…`,
 * `/assets/reference/…`; no patient data, no token) with the same io readers (NIfTI bytes, the
 * atlas label tables). The model card is validated and the ONNX bytes checked against its
 * sha256 before onnxruntime-web (wasm) loads them. Reference files are fetched once, before the
 * first analysis, because the loader's template and atlas getters are synchronous.
 */
import { UserInputError } from '../core/errors.js';
import type { Volume } from '../core/volume.js';
import { compactLabels } from '../io/compact-labels.js';
import { readNifti } from '../io/nifti/read-nifti.js';
import {
  ANALYSIS_REFERENCE_FILES,
  ASSET_PATHS,
  type AnalysisReferenceFile,
  parseLobeLabels,
  parseTerritoryLabels,
  templateName,
} from '../io/reference-files.js';
import { parseModelCard, verifyModelBytes } from '../models/model-card.js';
import { type LoadedModel, type Resources, createResources } from '../pipeline/resources.js';
import type { Task } from '../pipeline/select-inputs.js';
import { loadWebOnnxModel } from './web-onnx-model.js';

export interface BrowserResourcesOptions {
  /** The service's origin with a trailing '/', e.g. `${location.origin}/`. */
  readonly baseUrl: string;
  /** onnxruntime-web threads (web-onnx-model.ts `wasmThreads`). */
  readonly threads: number;
  /** Folder URL of onnxruntime-web's wasm files; default `${baseUrl}ort/`. */
  readonly wasmBaseUrl?: string;
  /** How bytes are fetched (tests); default `fetch`. */
  readonly fetchBytes?: (url: string) => Promise<Uint8Array>;
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new UserInputError(`cannot fetch ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function volumeOf(bytes: Uint8Array, what: string): Volume {
  const volume = readNifti(bytes).volumes[0];
  if (!volume) throw new UserInputError(`${what} holds no volume`);
  return volume;
}

function labelsOf(bytes: Uint8Array, what: string): Volume {
  const volume = volumeOf(bytes, what);
  return compactLabels(volume) ?? volume;
}

/** Fetches the reference files (in parallel), then returns the resources over them. */
export async function browserResources(options: BrowserResourcesOptions): Promise<Resources> {
  const get = options.fetchBytes ?? fetchBytes;
  const url = (path: string) => `${options.baseUrl}${path.replace(/^\//, '')}`;
  const keys = Object.keys(ANALYSIS_REFERENCE_FILES) as AnalysisReferenceFile[];
  const fetched = await Promise.all(keys.map((k) => get(url(ASSET_PATHS.reference(k)))));
  const bytes = new Map(keys.map((k, i) => [k, fetched[i]!]));
  const file = (k: AnalysisReferenceFile) => bytes.get(k)!;
  const text = (k: AnalysisReferenceFile) => new TextDecoder().decode(file(k));
  return createResources({
    async model(task: Task): Promise<LoadedModel> {
      const cardUrl = url(ASSET_PATHS.model(task, 'card.json'));
      const onnxUrl = url(ASSET_PATHS.model(task, 'model.onnx'));
      const [cardBytes, onnx] = await Promise.all([get(cardUrl), get(onnxUrl)]);
      const card = parseModelCard(new TextDecoder().decode(cardBytes), cardUrl);
      await verifyModelBytes(card, onnx, onnxUrl);
      const model = await loadWebOnnxModel(onnx, {
        wasmBaseUrl: options.wasmBaseUrl ?? `${options.baseUrl}ort/`,
        threads: options.threads,
      });
      return { card, source: onnxUrl, run: model.run, release: model.release };
    },
    registrationTemplate(kind) {
      const key = kind === 'ct' ? 'ctTemplate' : 'mrTemplate';
      const path = ANALYSIS_REFERENCE_FILES[key];
      return { name: templateName(path), image: volumeOf(file(key), path) };
    },
    brainMask: () => labelsOf(file('brainMask'), ANALYSIS_REFERENCE_FILES.brainMask),
    lobeAtlas: () => ({
      map: labelsOf(file('lobeAtlas'), ANALYSIS_REFERENCE_FILES.lobeAtlas),
      names: parseLobeLabels(text('lobeLabels')),
    }),
    territoryAtlas: () => ({
      map: labelsOf(file('territoryAtlas'), ANALYSIS_REFERENCE_FILES.territoryAtlas),
      ...parseTerritoryLabels(text('territoryLabels')),
    }),
  });
}
