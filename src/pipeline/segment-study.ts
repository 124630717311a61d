/**
 * The segmentation step of `analyzeStudy` (analyze-study.ts): one study through a model, from the selected images to results on the input's
 * native grid:
 *
 * 1. `prepareModelInput` with the card's spacing and normalisation (the same code as training);
 * 2. sliding-window inference (patch = the card's training patch, else the whole model grid,
 *    which is already a multiple of 16; Gaussian weighting, 50 % overlap; mirroring TTA
 *    when `tta`, on `mirrorAxes`, default the card's training flips) over the box of the brain mask when one is given (outside it:
 *    background), so a neck or a wide field of view costs no model runs;
 * 3. argmax → labels; lesion probability = 1 − P(background);
 * 4. back to the native grid (nearest neighbour for labels, trilinear for the probability);
 * 5. connected components (26-connected, any lesion label) smaller than `minLesionMl`
 *    (default 0.01 mL) are removed; volumes, count and largest lesion are measured there,
 *    on the grid of the label map that is written out.
 *
 * Triage score = the highest lesion probability on the native grid outside the removed
 * components (0…1, comparable with the card's operating point); positive = score ≥ threshold
 * (option, else the card's operating point) when there is one, else "a lesion was kept".
 * Pure apart from the injected `run` (the model), so tests can pass a fake one.
 */
import { UserInputError } from '../core/errors.js';
import { type Geometry, voxelCount, voxelVolumeMl } from '../core/geometry.js';
import type { Volume } from '../core/volume.js';
import type { ModelCard } from '../models/model-card.js';
import {
  type MirrorAxis,
  type RunPatch,
  slidingWindowInference,
} from '../models/sliding-window.js';
import { type GridBox, boxShape, cropChannels, pasteChannels } from '../core/grid-box.js';
import { ttaMirrorAxes } from '../models/tta-axes.js';
import { prepareModelInput } from '../preprocess/model-input.js';
import { brainBox, mapToNative } from './brain-box.js';
import { removeSmallLesions } from './remove-lesions.js';
import { type RestrictionCheck, normalTissueAdc } from './restriction-gate.js';
import type { NativeMask } from './intracranial-mask.js';

export type SegmentStage = 'prepare' | 'inference' | 'native' | 'postprocess';

export interface SegmentOptions {
  /** Mirroring test-time augmentation (2^axes runs per patch). Default false. */
  readonly tta?: boolean;
  /** Axes mirrored when `tta`; default the card's (`ttaMirrorAxes`: the flips it was trained with). */
  readonly mirrorAxes?: readonly MirrorAxis[];
  /** Triage threshold on the score; default the card's operating point. */
  readonly threshold?: number;
  /** Lesions (connected components) smaller than this are removed; default 0.01 mL. */
  readonly minLesionMl?: number;
  /** Sliding-window overlap, default 0.5. */
  readonly overlap?: number;
  /** Sliding-window patch [z, y, x]; default the card's inference (else training) patch. */
  readonly patchSize?: readonly [number, number, number];
  /**
   * Infarct: keep a lesion only when its median ADC ≤ this × the scan's normal-tissue ADC
   * (restriction-gate.ts); needs `adcMm2PerS`. Absent: no check.
   */
  readonly maxRelativeAdc?: number;
}

export interface SegmentInput {
  readonly images: readonly Volume[];
  readonly task: 'ich' | 'infarct';
  readonly model: {
    readonly card: Pick<ModelCard, 'task' | 'inputs' | 'labels' | 'operatingPoint'> & {
      readonly training?: unknown;
    };
    readonly run: RunPatch;
  };
  readonly options?: SegmentOptions;
  /**
   * Brain mask on the native grid of the first image (e.g. `intracranialRegion`): the model
   * runs over its box only, and lesions mostly outside it are removed and do not count for
   * triage. Absent: no mask.
   */
  readonly inside?: NativeMask;
  readonly onProgress?: (stage: SegmentStage, done: number, total: number) => void;
  /** ADC on the first image's native grid, mm²/s: for the restriction check. */
  readonly adcMm2PerS?: Float32Array;
}

export interface Segmentation {
  /** The native grid of the first image: where both maps lie. */
  readonly native: Geometry;
  /** Label per native voxel (0 background), small lesions removed. */
  readonly labelsNative: Uint8Array;
  /** Lesion probability 1 − P(background) per native voxel. */
  readonly probabilityNative: Float32Array;
  /** Label name → volume in mL (every label of the card, 0 when absent). */
  readonly volumesMl: Record<string, number>;
  readonly totalLesionMl: number;
  readonly lesionCount: number;
  readonly largestLesionMl: number;
  /** Lesions removed for being smaller than minLesionMl. */
  readonly removedLesions: number;
  /** Lesions (≥ minLesionMl) removed for lying mostly outside the brain mask (`inside`). */
  readonly removedOutsideBrain: number;
  /** The restriction check, when it ran: its ratio, the yardstick, the lesions it removed. */
  readonly restriction?: {
    readonly maxRelativeAdc: number;
    /** mm²/s; null when the scan has no parenchymal-range ADC to measure it on. */
    readonly normalAdcMm2PerS: number | null;
    readonly removed: number;
  };
  readonly triage: {
    /** Highest lesion probability outside removed lesions (0…1). */
    readonly score: number;
    readonly positive: boolean;
    /** The threshold used, or null when positive means "a lesion was kept". */
    readonly threshold: number | null;
    readonly rule: string;
  };
  /** Milliseconds per stage. */
  readonly timingsMs: Record<SegmentStage, number>;
  readonly modelGrid: {
    readonly shape: readonly number[];
    readonly spacingMm: readonly number[];
    /** Where the model ran (the brain-mask box), when a mask was given. */
    readonly box?: GridBox;
  };
  readonly patchSize: readonly [number, number, number];
  readonly modelRuns: number;
}

export const DEFAULT_MIN_LESION_ML = 0.01;

export async function segmentStudy(input: SegmentInput): Promise<Segmentation> {
  const { images, task, model } = input;
  const options = input.options ?? {};
  const card = model.card;
  if (card.task !== task)
    throw new UserInputError(`the model is for task '${card.task}', the input is for '${task}'`);
  const minLesionMl = options.minLesionMl ?? DEFAULT_MIN_LESION_ML;
  if (!(minLesionMl >= 0)) throw new UserInputError(`minLesionMl must be ≥ 0, got ${minLesionMl}`);
  const timingsMs: Record<SegmentStage, number> = {
    prepare: 0,
    inference: 0,
    native: 0,
    postprocess: 0,
  };
  let t = performance.now();
  const lap = (stage: SegmentStage) => {
    const now = performance.now();
    timingsMs[stage] = Math.round((now - t) * 10) / 10;
    t = now;
  };

  const prepared = prepareModelInput({
    images,
    spec: {
      spacingMm: card.inputs.spacingMm,
      orientation: 'LPS',
      normalisation: card.inputs.normalisation,
      ...(card.inputs.divisibleBy !== undefined && { multipleOf: card.inputs.divisibleBy }),
    },
  });
  lap('prepare');

  const [c0, gz, gy, gx] = prepared.shape;
  const wanted = options.patchSize ??
    card.inputs.inferencePatchSize ??
    card.inputs.trainingPatchSize ?? [gz, gy, gx];
  // A window larger than the grid is the whole grid.
  const patchSize = [Math.min(wanted[0], gz), Math.min(wanted[1], gy), Math.min(wanted[2], gx)] as [
    number,
    number,
    number,
  ];
  // Only the brain-mask box goes through the model (the mask reaches 8 mm beyond the brain).
  const box = brainBox({ inside: input.inside, prepared, patchSize });
  const [cx, cy, cz] = box ? boxShape(box) : [gx, gy, gz];
  const window = await slidingWindowInference({
    input: box
      ? cropChannels({ data: prepared.tensor, channels: c0, shape: [gx, gy, gz], box })
      : prepared.tensor,
    shape: [c0, cz, cy, cx],
    patchSize,
    runPatch: model.run,
    overlap: options.overlap ?? 0.5,
    mirrorAxes: options.tta ? (options.mirrorAxes ?? ttaMirrorAxes(card)) : [],
    onProgress: (done, total) => input.onProgress?.('inference', done, total),
  });
  const n = voxelCount(prepared.grid);
  const k = window.shape[0];
  const labelCount = Object.keys(card.labels).length;
  if (k !== labelCount + 1)
    throw new UserInputError(
      `the model returned ${k} classes but its card lists ${labelCount} labels + background`,
    );
  const probabilities = box
    ? pasteChannels({
        data: window.probabilities,
        fill: [1, ...new Array<number>(k - 1).fill(0)],
        shape: [gx, gy, gz],
        box,
      })
    : window.probabilities;
  const { labels, lesionProbability } = argmax(probabilities, k, n);
  lap('inference');

  const { labelsNative, probabilityNative } = mapToNative({
    labels,
    probability: lesionProbability,
    prepared,
    box,
  });
  lap('native');

  const restriction = restrictionCheck(input, options);
  const post = removeSmallLesions({
    labels: labelsNative,
    probability: probabilityNative,
    geometry: prepared.native,
    minLesionMl,
    ...(input.inside && { inside: input.inside }),
    ...(restriction && { restriction }),
  });
  const volumesMl: Record<string, number> = {};
  const voxelMl = voxelVolumeMl(prepared.native);
  const counts = new Float64Array(256);
  for (let v = 0; v < labelsNative.length; v++) counts[labelsNative[v]!]!++;
  for (const [key, name] of Object.entries(card.labels))
    volumesMl[name] = round3((counts[Number(key)] ?? 0) * voxelMl);
  const threshold = options.threshold ?? card.operatingPoint?.threshold ?? null;
  const positive = threshold === null ? post.lesionCount > 0 : post.score >= threshold;
  lap('postprocess');

  return {
    native: prepared.native,
    labelsNative,
    probabilityNative,
    volumesMl,
    totalLesionMl: round3(post.totalVoxels * voxelMl),
    lesionCount: post.lesionCount,
    largestLesionMl: round3(post.largestVoxels * voxelMl),
    removedLesions: post.removed,
    removedOutsideBrain: post.removedOutside,
    ...(restriction && {
      restriction: {
        maxRelativeAdc: restriction.maxRelativeAdc,
        normalAdcMm2PerS: Number.isFinite(restriction.normalAdcMm2PerS)
          ? Math.round(restriction.normalAdcMm2PerS * 1e7) / 1e7
          : null,
        removed: post.removedUnrestricted,
      },
    }),
    triage: {
      score: Math.round(post.score * 1e4) / 1e4,
      positive,
      threshold,
      rule:
        threshold === null
          ? 'positive when at least one lesion is kept (no operating point in the model card)'
          : `positive when the highest lesion probability ≥ ${threshold}`,
    },
    timingsMs,
    modelGrid: {
      shape: [...prepared.grid.shape],
      spacingMm: [...prepared.grid.spacingMm],
      ...(box && { box }),
    },
    patchSize,
    modelRuns: window.runs,
  };
}

/** The restriction check's inputs with the scan's yardstick, when asked for and measurable. */
function restrictionCheck(
  input: SegmentInput,
  options: SegmentOptions,
): (RestrictionCheck & { normalAdcMm2PerS: number }) | undefined {
  const ratio = options.maxRelativeAdc;
  if (ratio === undefined) return undefined;
  if (!(ratio > 0)) throw new UserInputError(`maxRelativeAdc must be > 0, got ${ratio}`);
  const adc = input.adcMm2PerS;
  if (!adc) throw new UserInputError('the restriction check needs the ADC map');
  const normal = normalTissueAdc(adc, input.inside);
  return { adcMm2PerS: adc, maxRelativeAdc: ratio, normalAdcMm2PerS: normal };
}

/** Argmax label per voxel and lesion probability 1 − P(background), from [K, n] softmax. */
export function argmax(
  probabilities: Float32Array,
  k: number,
  n: number,
): { labels: Uint8Array; lesionProbability: Float32Array } {
  if (k > 256) throw new UserInputError(`${k} classes do not fit in uint8 labels`);
  const labels = new Uint8Array(n);
  const lesionProbability = new Float32Array(n);
  for (let v = 0; v < n; v++) {
    let best = 0;
    let bestP = probabilities[v]!;
    for (let c = 1; c < k; c++) {
      const p = probabilities[c * n + v]!;
      if (p > bestP) [best, bestP] = [c, p];
    }
    labels[v] = best;
    lesionProbability[v] = 1 - probabilities[v]!;
  }
  return { labels, lesionProbability };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
