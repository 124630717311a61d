/**
 * Per-label metrics for multi-label maps (e.g. haemorrhage subtypes 1..6): for each listed label
 * l, the ISLES'22 metrics (`islesMetrics`) and the surface distances (`surfaceDistances`) of the
 * binary pair (truth == l, prediction == l); plus an "any lesion" entry for (truth ≠ 0,
 * prediction ≠ 0). A label absent from both maps gets the ISLES empty-case values (Dice and
 * lesion F1 = 1, differences 0) and surface distances 0; absent from exactly one, NaN distances.
 * Each pair is cropped to its bounding box plus one voxel (clamped to the grid) first, which
 * changes no metric (components, volumes and surfaces are the same) but makes the cost scale
 * with the lesion, not the grid. Pure.
 */
import type { Vec3 } from '../core/vec.js';
import { type IslesMetrics, islesMetrics } from './isles-metrics.js';
import { type GridBox, boxShape } from '../core/grid-box.js';
import { type SurfaceDistances, cropMask, surfaceDistances } from './surface-distance.js';

export interface PerLabelInput {
  /** Label maps (0 = background), index i + nx·(j + ny·k). */
  readonly truth: ArrayLike<number>;
  readonly prediction: ArrayLike<number>;
  readonly shape: Vec3;
  readonly spacingMm: Vec3;
  /** Label value → name, e.g. { 1: 'epidural', 2: 'subdural', … }. */
  readonly labels: Readonly<Record<number, string>>;
}

export interface LabelMetrics extends IslesMetrics, SurfaceDistances {
  /** Label value, or 'any' for the any-lesion entry. */
  readonly label: number | 'any';
  readonly name: string;
}

export interface PerLabelMetrics {
  /** One entry per listed label, in increasing label order. */
  readonly perLabel: readonly LabelMetrics[];
  /** Non-zero truth vs non-zero prediction. */
  readonly anyLesion: LabelMetrics;
  /** Non-zero values found in either map that `labels` does not list (counted in anyLesion only). */
  readonly unlistedLabels: readonly number[];
}

export const ANY_LESION_NAME = 'any lesion';

type MutableBox = { lo: [number, number, number]; hi: [number, number, number] };

/** Bounding box of every non-zero value of a label map, in one pass. */
function boxesByValue(map: ArrayLike<number>, shape: Vec3, into: Map<number, MutableBox>): void {
  const [nx, ny, nz] = shape;
  let v = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, v++) {
        const l = map[v]!;
        if (l === 0) continue;
        const b = into.get(l);
        if (b === undefined) {
          into.set(l, { lo: [i, j, k], hi: [i, j, k] });
          continue;
        }
        if (i < b.lo[0]) b.lo[0] = i;
        if (i > b.hi[0]) b.hi[0] = i;
        if (j < b.lo[1]) b.lo[1] = j;
        if (j > b.hi[1]) b.hi[1] = j;
        if (k < b.lo[2]) b.lo[2] = k;
        if (k > b.hi[2]) b.hi[2] = k;
      }
}

function unionBox(boxes: readonly (MutableBox | undefined)[]): MutableBox | undefined {
  let out: MutableBox | undefined;
  for (const b of boxes) {
    if (b === undefined) continue;
    if (out === undefined) out = { lo: [...b.lo], hi: [...b.hi] };
    else
      for (let a = 0; a < 3; a++) {
        out.lo[a] = Math.min(out.lo[a]!, b.lo[a]!);
        out.hi[a] = Math.max(out.hi[a]!, b.hi[a]!);
      }
  }
  return out;
}

function grow(b: MutableBox, shape: Vec3): GridBox {
  return {
    lo: [Math.max(0, b.lo[0] - 1), Math.max(0, b.lo[1] - 1), Math.max(0, b.lo[2] - 1)],
    hi: [
      Math.min(shape[0] - 1, b.hi[0] + 1),
      Math.min(shape[1] - 1, b.hi[1] + 1),
      Math.min(shape[2] - 1, b.hi[2] + 1),
    ],
  };
}

function pairMetrics(options: {
  readonly input: PerLabelInput;
  readonly box: MutableBox | undefined;
  readonly select?: (value: number) => boolean;
  readonly voxelMl: number;
}): IslesMetrics & SurfaceDistances {
  const { input, box, select, voxelMl } = options;
  const { spacingMm } = input;
  if (box === undefined) {
    // Neither map holds the label: the ISLES empty-case values, on a one-voxel empty grid.
    const empty = new Uint8Array(1);
    const shape: Vec3 = [1, 1, 1];
    return {
      ...islesMetrics({ truth: empty, prediction: empty, shape, voxelMl }),
      ...surfaceDistances({ truth: empty, prediction: empty, shape, spacingMm }),
    };
  }
  const crop = grow(box, input.shape);
  const shape = boxShape(crop);
  const truth = cropMask({ mask: input.truth, shape: input.shape, box: crop, select });
  const prediction = cropMask({ mask: input.prediction, shape: input.shape, box: crop, select });
  return {
    ...islesMetrics({ truth, prediction, shape, voxelMl }),
    ...surfaceDistances({ truth, prediction, shape, spacingMm }),
  };
}

export function perLabelMetrics(input: PerLabelInput): PerLabelMetrics {
  const { truth, prediction, shape, spacingMm, labels } = input;
  const n = shape[0] * shape[1] * shape[2];
  if (truth.length !== n || prediction.length !== n)
    throw new RangeError(
      `label maps hold ${truth.length} and ${prediction.length} voxels, shape needs ${n}`,
    );
  const voxelMl = (spacingMm[0] * spacingMm[1] * spacingMm[2]) / 1000;
  const truthBoxes = new Map<number, MutableBox>();
  const predBoxes = new Map<number, MutableBox>();
  boxesByValue(truth, shape, truthBoxes);
  boxesByValue(prediction, shape, predBoxes);

  const listed = Object.keys(labels)
    .map(Number)
    .sort((a, b) => a - b);
  for (const l of listed)
    if (!Number.isFinite(l) || l === 0)
      throw new RangeError(`label values must be non-zero numbers, got ${l}`);
  const perLabel = listed.map((l): LabelMetrics => {
    const box = unionBox([truthBoxes.get(l), predBoxes.get(l)]);
    const m = pairMetrics({ input, box, select: (x) => x === l, voxelMl });
    return { label: l, name: labels[l]!, ...m };
  });

  const allBoxes = unionBox([...truthBoxes.values(), ...predBoxes.values()]);
  const any = pairMetrics({ input, box: allBoxes, voxelMl });
  const listedSet = new Set(listed);
  const unlisted = new Set<number>();
  for (const l of [...truthBoxes.keys(), ...predBoxes.keys()])
    if (!listedSet.has(l)) unlisted.add(l);
  return {
    perLabel,
    anyLesion: { label: 'any', name: ANY_LESION_NAME, ...any },
    unlistedLabels: [...unlisted].sort((a, b) => a - b),
  };
}
