/**
 * Resamples a stack of parallel slices with uneven spacing and/or in-plane drift between slices
 * (gantry tilt) onto a regular orthogonal grid in the slices' own frame (row, column, normal),
 * as dcm2niix's tilt correction and equidistant resampling do. Each slice's position is used
 * exactly: along the normal we interpolate linearly between the two nearest slices, in-plane
 * bilinearly at that slice's own offset. Pure.
 */
import { GeometryError } from '../../core/errors.js';
import { type Geometry, MAX_VOXELS } from '../../core/geometry.js';
import { type Vec3, add, fromColumns, scale } from '../../core/vec.js';

export interface StackResampleInput {
  /** One Float32Array per slice (columns × rows, i fastest), sorted along the normal. */
  readonly slices: readonly Float32Array[];
  readonly rows: number;
  readonly columns: number;
  readonly pixelSpacingMm: readonly [number, number];
  readonly firstPositionMm: Vec3;
  readonly rowDirection: Vec3;
  readonly columnDirection: Vec3;
  readonly normal: Vec3;
  readonly normalPositionsMm: readonly number[];
  readonly inPlaneShiftVoxels: readonly (readonly [number, number])[];
}

export interface StackResampleOptions {
  /** Output spacing along the normal; default: the smallest step that is ≥ half the median. */
  readonly stepMm?: number;
  /** Value outside every slice; default: the minimum of the data. */
  readonly fillValue?: number;
}

export interface StackResampleResult {
  readonly geometry: Geometry;
  readonly data: Float32Array;
}

export function resampleStack(
  input: StackResampleInput,
  options: StackResampleOptions = {},
): StackResampleResult {
  const { slices, rows, columns, normalPositionsMm: d, inPlaneShiftVoxels: shifts } = input;
  const steps = d
    .slice(1)
    .map((x, k) => x - d[k]!)
    .filter((s) => s > 1e-3);
  const median = [...steps].sort((x, y) => x - y)[Math.floor(steps.length / 2)] ?? 1;
  const stepMm = options.stepMm ?? Math.min(...steps.filter((s) => s >= median / 2), median);
  const fill = options.fillValue ?? minimum(slices);
  const us = shifts.map((s) => s[0]);
  const vs = shifts.map((s) => s[1]);
  const iMin = Math.floor(Math.min(...us) + 1e-6);
  const jMin = Math.floor(Math.min(...vs) + 1e-6);
  const nx = Math.ceil(Math.max(...us) - 1e-6) - iMin + columns;
  const ny = Math.ceil(Math.max(...vs) - 1e-6) - jMin + rows;
  const d0 = d[0] ?? 0;
  const nz = Math.floor(((d[d.length - 1] ?? d0) - d0) / stepMm + 1e-6) + 1;
  const [si, sj] = input.pixelSpacingMm;
  const originMm = add(
    input.firstPositionMm,
    add(scale(input.rowDirection, iMin * si), scale(input.columnDirection, jMin * sj)),
  );
  const voxels = nx * ny * nz;
  if (!(Number.isFinite(voxels) && voxels <= MAX_VOXELS))
    throw new GeometryError(
      `resampling the slices onto an even grid would give ${nx}×${ny}×${nz} voxels ` +
        `(slice step ${stepMm} mm), over the limit of ${MAX_VOXELS.toExponential(2)}`,
    );
  const out = new Float32Array(voxels).fill(fill);
  let a = 0;
  for (let k = 0; k < nz; k++) {
    const t = d0 + k * stepMm;
    while (a < d.length - 2 && d[a + 1]! <= t + 1e-6) a++;
    const span = d.length > 1 ? d[a + 1]! - d[a]! : 1;
    const f = d.length > 1 ? Math.min(1, Math.max(0, (t - d[a]!) / span)) : 0;
    const plane = out.subarray(k * nx * ny, (k + 1) * nx * ny);
    const common = { nx, ny, columns, rows, fill };
    addSlice(plane, {
      ...common,
      slice: slices[a]!,
      du: iMin - us[a]!,
      dv: jMin - vs[a]!,
      weight: 1 - f,
      accumulate: false,
    });
    if (f > 0)
      addSlice(plane, {
        ...common,
        slice: slices[a + 1]!,
        du: iMin - us[a + 1]!,
        dv: jMin - vs[a + 1]!,
        weight: f,
        accumulate: true,
      });
  }
  return {
    geometry: {
      shape: [nx, ny, nz],
      spacingMm: [si, sj, stepMm],
      originMm,
      direction: fromColumns(input.rowDirection, input.columnDirection, input.normal),
    },
    data: out,
  };
}

interface AddSliceArgs {
  nx: number;
  ny: number;
  slice: Float32Array;
  columns: number;
  rows: number;
  /** Output (i, j) maps to slice (i + du, j + dv). */
  du: number;
  dv: number;
  weight: number;
  fill: number;
  /** Add to the plane (second slice) instead of overwriting it (first slice). */
  accumulate: boolean;
}

/**
 * Writes (or adds) weight × the bilinear sample of the slice into the output plane. The four
 * bilinear weights are constant over the plane (one in-plane offset per slice), so the interior
 * runs without bounds checks; only border pixels take the checked path.
 */
function addSlice(plane: Float32Array, a: AddSliceArgs): void {
  const { nx, ny, slice, columns, rows, du, dv, weight, fill, accumulate } = a;
  const iu = Math.floor(du);
  const iv = Math.floor(dv);
  const fu = du - iu;
  const fv = dv - iv;
  const w00 = weight * (1 - fu) * (1 - fv);
  const w10 = weight * fu * (1 - fv);
  const w01 = weight * (1 - fu) * fv;
  const w11 = weight * fu * fv;
  const weights = { w00, w10, w01, w11 };
  // Output columns whose four neighbours are all inside the slice.
  const iStart = Math.max(0, -iu);
  const iEnd = Math.min(nx, columns - 1 - iu);
  for (let j = 0; j < ny; j++) {
    const y0 = j + iv;
    const o = j * nx;
    if (y0 < 0 || y0 + 1 >= rows || iStart >= iEnd) {
      for (let i = 0; i < nx; i++) {
        const v = checkedSample(slice, columns, rows, i + iu, y0, weights, fill);
        plane[o + i] = accumulate ? plane[o + i]! + v : v;
      }
      continue;
    }
    for (let i = 0; i < iStart; i++) {
      const v = checkedSample(slice, columns, rows, i + iu, y0, weights, fill);
      plane[o + i] = accumulate ? plane[o + i]! + v : v;
    }
    const r0 = y0 * columns + iu;
    const r1 = r0 + columns;
    for (let i = iStart; i < iEnd; i++) {
      const v =
        w00 * slice[r0 + i]! +
        w10 * slice[r0 + i + 1]! +
        w01 * slice[r1 + i]! +
        w11 * slice[r1 + i + 1]!;
      plane[o + i] = accumulate ? plane[o + i]! + v : v;
    }
    for (let i = Math.max(iEnd, iStart); i < nx; i++) {
      const v = checkedSample(slice, columns, rows, i + iu, y0, weights, fill);
      plane[o + i] = accumulate ? plane[o + i]! + v : v;
    }
  }
}

interface BilinearWeights {
  w00: number;
  w10: number;
  w01: number;
  w11: number;
}

function checkedSample(
  s: Float32Array,
  columns: number,
  rows: number,
  x0: number,
  y0: number,
  w: BilinearWeights,
  fill: number,
): number {
  return (
    w.w00 * pixel(s, columns, rows, x0, y0, fill) +
    w.w10 * pixel(s, columns, rows, x0 + 1, y0, fill) +
    w.w01 * pixel(s, columns, rows, x0, y0 + 1, fill) +
    w.w11 * pixel(s, columns, rows, x0 + 1, y0 + 1, fill)
  );
}

function pixel(s: Float32Array, columns: number, rows: number, x: number, y: number, fill: number) {
  return x < 0 || y < 0 || x >= columns || y >= rows ? fill : s[y * columns + x]!;
}

function minimum(slices: readonly Float32Array[]): number {
  let m = Infinity;
  for (const s of slices) for (let n = 0; n < s.length; n++) if (s[n]! < m) m = s[n]!;
  return Number.isFinite(m) ? m : 0;
}
