/**
 * An edited label map sent by a reviewer (`PUT /studies/:id/labels`), checked before anything is
 * stored: a 3-D NIfTI (gzipped or not) on exactly the result's grid (same dimensions; every
 * element of the voxel-to-world affine within 1e-3 mm), voxel values only 0 and the model's
 * label values. Refusals are `UserInputError`s with one line (the route answers 400).
 */
import { UserInputError, isUserInputError } from '../core/errors.js';
import { type Geometry, indexToWorldMatrix, voxelCount, voxelVolumeMl } from '../core/geometry.js';
import { readNifti } from '../io/nifti/read-nifti.js';

/** Largest allowed difference of one affine element, mm. */
export const GRID_TOLERANCE_MM = 1e-3;

export interface EditedLabels {
  /** The label values, on `geometry` (the result's grid). */
  readonly labels: Uint8Array;
  readonly geometry: Geometry;
  /** By label name (every model label, 0 when absent), mL, rounded to 0.001 mL. */
  readonly volumesMl: Record<string, number>;
}

export function readEditedLabels(options: {
  readonly bytes: Uint8Array;
  /** The grid of the result's labels.nii.gz. */
  readonly grid: Geometry;
  /** Label value → name (the model's labels). */
  readonly labelNames: Readonly<Record<number, string>>;
}): EditedLabels {
  const { grid, labelNames } = options;
  const voxels = voxelCount(grid);
  let image;
  try {
    // The expected grid bounds the inflated size: a gzip bomb or an oversized header is refused
    // before any allocation.
    image = readNifti(options.bytes, { maxVoxels: voxels, maxBytes: voxels * 8 + 65_536 });
  } catch (e) {
    if (!isUserInputError(e)) throw e;
    throw new UserInputError(`not a readable NIfTI label map: ${firstLine(e.message)}`);
  }
  if (image.volumes.length !== 1)
    throw new UserInputError(`the label map has ${image.volumes.length} volumes; expected one`);
  const volume = image.volumes[0]!;
  const g = volume.geometry;
  if (g.shape.some((n, i) => n !== grid.shape[i]))
    throw new UserInputError(
      `the label map is ${g.shape.join('×')} voxels; the result's grid is ${grid.shape.join('×')}`,
    );
  const sent = indexToWorldMatrix(g);
  const expected = indexToWorldMatrix(grid);
  const worst = Math.max(...sent.map((x, n) => Math.abs(x - expected[n]!)));
  if (!(worst <= GRID_TOLERANCE_MM))
    throw new UserInputError(
      `the label map's affine differs from the result's grid by ${worst.toPrecision(3)} mm (at most ${GRID_TOLERANCE_MM} allowed)`,
    );
  const allowed = new Set([0, ...Object.keys(labelNames).map(Number)]);
  const labels = new Uint8Array(voxels);
  const counts = new Map<number, number>();
  for (let v = 0; v < voxels; v++) {
    const value = volume.data[v]!;
    if (!allowed.has(value))
      throw new UserInputError(
        `the label map holds the value ${value}; allowed: ${[...allowed].join(', ')} (0 and the model's labels)`,
      );
    labels[v] = value;
    if (value !== 0) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const voxelMl = voxelVolumeMl(grid);
  const volumesMl = Object.fromEntries(
    Object.entries(labelNames).map(([value, name]) => [
      name,
      Math.round((counts.get(Number(value)) ?? 0) * voxelMl * 1000) / 1000,
    ]),
  );
  return { labels, geometry: grid, volumesMl };
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}
