/**
 * Resamples a volume onto another grid through an affine between their world spaces — e.g. a
 * patient scan onto the template grid with `templateToPatient` (target world → source world),
 * or an atlas onto the patient grid with `patientToTemplate`. Trilinear for images, nearest
 * neighbour for labels; the core resampling kernels do the sampling. Pure.
 */
import type { Geometry } from '../core/geometry.js';
import {
  indexToWorldMatrix,
  validateGeometry,
  voxelCount,
  worldToIndexAffine,
} from '../core/geometry.js';
import { sampleLinear, sampleNearest } from '../core/resample-kernels.js';
import type { Mat3, Mat4, Vec3 } from '../core/vec.js';
import { type Volume, type VoxelArray, withOp } from '../core/volume.js';
import { affineFromParts, composeAffine } from './affine-matrix.js';

export interface WarpAffineOptions<V extends Volume> {
  readonly volume: V;
  readonly target: Geometry;
  /** Target world (LPS mm) → source world (LPS mm). */
  readonly targetToSource: Mat4;
  /** Default: 'nearest' for label volumes, else 'linear' (float32 output). */
  readonly interpolation?: 'linear' | 'nearest';
  readonly fillValue?: number;
}

export function warpAffine<V extends Volume>(options: WarpAffineOptions<V>): Volume {
  const { volume, targetToSource } = options;
  const target = validateGeometry(options.target);
  const labels = volume.meta.units === 'label' || 'labels' in volume;
  const interpolation = options.interpolation ?? (labels ? 'nearest' : 'linear');
  const w2i = worldToIndexAffine(volume.geometry);
  const sourceWorldToIndex = affineFromParts(w2i.m, w2i.o);
  const m = composeAffine(
    sourceWorldToIndex,
    composeAffine(targetToSource, indexToWorldMatrix(target)),
  );
  const affine = {
    matrix: [m[0]!, m[1]!, m[2]!, m[4]!, m[5]!, m[6]!, m[8]!, m[9]!, m[10]!] as Mat3,
    offset: [m[3]!, m[7]!, m[11]!] as Vec3,
  };
  const common = {
    source: volume.data,
    sourceShape: volume.geometry.shape,
    targetShape: target.shape,
    affine,
    fillValue: options.fillValue ?? 0,
  };
  let data: VoxelArray;
  if (interpolation === 'linear') {
    const out = new Float32Array(voxelCount(target));
    sampleLinear({ ...common, out });
    data = out;
  } else {
    const Ctor = volume.data.constructor as new (n: number) => VoxelArray;
    const out = new Ctor(voxelCount(target));
    sampleNearest({ ...common, out });
    data = out;
  }
  const meta = withOp(volume.meta, {
    op: 'warp-affine',
    params: { interpolation, targetToSource, sourceGeometry: volume.geometry },
  });
  return { ...volume, geometry: target, data, meta };
}
