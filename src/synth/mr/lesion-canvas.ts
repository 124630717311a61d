/**
 * A template-space painting canvas for lesions (1 mm, the grid of the SOOP masks and the
 * territory atlas): lesion numbers painted voxel by voxel, restricted to brain parenchyma, then
 * cropped to the painted box and softened into a severity map (core 1, rim lower) that the
 * renderer samples through each case's TemplateMap. Pure.
 */
import type { Geometry } from '../../core/geometry.js';
import { indexToWorldMatrix } from '../../core/geometry.js';
import { boxGeometry, cropChannels, maskBoundingBox } from '../../core/grid-box.js';
import { type Mat3, type Vec3, invert } from '../../core/vec.js';
import { type Volume, createVolume } from '../../core/volume.js';
import type { Rng } from '../../core/random.js';
import { evaluateField, fieldOnGrid, randomSmoothField } from '../smooth-field.js';
import { boxBlur3d } from './box-blur.js';

/** 3×4 row-major affine from the voxel indices of `from` to the (continuous) indices of `to`. */
export function voxelToVoxel(from: Geometry, to: Geometry): Float64Array {
  const a = indexToWorldMatrix(from);
  const b = indexToWorldMatrix(to);
  const bl: Mat3 = [b[0]!, b[1]!, b[2]!, b[4]!, b[5]!, b[6]!, b[8]!, b[9]!, b[10]!];
  const bi = invert(bl);
  const bo: Vec3 = [b[3]!, b[7]!, b[11]!];
  const out = new Float64Array(12);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let t = 0; t < 3; t++) s += bi[3 * r + t]! * (a[4 * t + c]! - (c === 3 ? bo[t]! : 0));
      out[4 * r + c] = s;
    }
  }
  return out;
}

export interface LesionCanvas {
  readonly grid: Geometry;
  /** Lesion number per voxel (0 none). */
  readonly data: Uint8Array;
  /** True where the template has brain parenchyma (grey + white ≥ 0.35). */
  readonly isBrain: (v: number) => boolean;
}

export function createLesionCanvas(options: {
  grid: Geometry;
  grey: Volume;
  white: Volume;
}): LesionCanvas {
  const { grid, grey, white } = options;
  const m = voxelToVoxel(grid, grey.geometry);
  const [nx, ny] = grid.shape;
  const [gx, gy, gz] = grey.geometry.shape;
  const isBrain = (v: number): boolean => {
    const i = v % nx;
    const j = Math.floor(v / nx) % ny;
    const k = Math.floor(v / (nx * ny));
    const a = Math.round(m[0]! * i + m[1]! * j + m[2]! * k + m[3]!);
    const b = Math.round(m[4]! * i + m[5]! * j + m[6]! * k + m[7]!);
    const c = Math.round(m[8]! * i + m[9]! * j + m[10]! * k + m[11]!);
    if (a < 0 || b < 0 || c < 0 || a >= gx || b >= gy || c >= gz) return false;
    const u = a + gx * (b + gy * c);
    return grey.data[u]! + white.data[u]! >= 0.35;
  };
  return { grid, data: new Uint8Array(grid.shape[0] * grid.shape[1] * grid.shape[2]), isBrain };
}

/**
 * Paints a real mask (on any axis-aligned 1 mm grid) shifted by `shiftMm` and warped by a
 * smooth random displacement of up to ~`deformMm`; returns the voxels painted.
 */
export function paintMask(
  canvas: LesionCanvas,
  options: { mask: Volume; value: number; shiftMm: Vec3; deformMm: number; rng: Rng },
): number {
  const { mask, value, shiftMm, deformMm, rng } = options;
  const [mx, my, mz] = mask.geometry.shape;
  // bounding box of the mask in its own voxels
  let lo = [mx, my, mz];
  let hi = [-1, -1, -1];
  for (let k = 0; k < mz; k++)
    for (let j = 0; j < my; j++)
      for (let i = 0; i < mx; i++)
        if (mask.data[i + mx * (j + my * k)]! > 0) {
          lo = [Math.min(lo[0]!, i), Math.min(lo[1]!, j), Math.min(lo[2]!, k)];
          hi = [Math.max(hi[0]!, i), Math.max(hi[1]!, j), Math.max(hi[2]!, k)];
        }
  if (hi[0]! < 0) return 0;
  const toMask = voxelToVoxel(canvas.grid, mask.geometry);
  const toCanvas = voxelToVoxel(mask.geometry, canvas.grid);
  const fields = [0, 1, 2].map(() =>
    randomSmoothField(rng, { controlPoints: [3, 3, 3], amplitude: deformMm / 2 }),
  );
  // canvas box covering the mask box plus the displacement margin
  const margin = Math.ceil(
    Math.abs(shiftMm[0]) + Math.abs(shiftMm[1]) + Math.abs(shiftMm[2]) + 2 * deformMm + 2,
  );
  const corners = [lo, hi].flatMap((x) =>
    [lo, hi].flatMap((y) => [lo, hi].map((z) => [x[0]!, y[1]!, z[2]!])),
  );
  const cLo = [Infinity, Infinity, Infinity];
  const cHi = [-Infinity, -Infinity, -Infinity];
  for (const p of corners)
    for (let r = 0; r < 3; r++) {
      const q =
        toCanvas[4 * r]! * p[0]! +
        toCanvas[4 * r + 1]! * p[1]! +
        toCanvas[4 * r + 2]! * p[2]! +
        toCanvas[4 * r + 3]!;
      cLo[r] = Math.min(cLo[r]!, q);
      cHi[r] = Math.max(cHi[r]!, q);
    }
  const [nx, ny, nz] = canvas.grid.shape;
  const i0 = Math.max(0, Math.floor(cLo[0]! - margin));
  const j0 = Math.max(0, Math.floor(cLo[1]! - margin));
  const k0 = Math.max(0, Math.floor(cLo[2]! - margin));
  const i1 = Math.min(nx - 1, Math.ceil(cHi[0]! + margin));
  const j1 = Math.min(ny - 1, Math.ceil(cHi[1]! + margin));
  const k1 = Math.min(nz - 1, Math.ceil(cHi[2]! + margin));
  // the canvas voxel axes are ±world axes at 1 mm: shift in world mm → shift in canvas voxels
  const s = voxelToVoxel(
    { ...canvas.grid, originMm: [0, 0, 0] },
    { ...canvas.grid, originMm: shiftMm },
  );
  const shiftVox: Vec3 = [-s[3]!, -s[7]!, -s[11]!];
  let painted = 0;
  // The displacement over the box, sampled once (same values as evaluating per voxel).
  const box: Vec3 = [i1 - i0 + 1, j1 - j0 + 1, k1 - k0 + 1];
  const [dx, dy, dz] = fields.map((f) => fieldOnGrid(f, box)) as [
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  let b0 = 0;
  for (let k = k0; k <= k1; k++)
    for (let j = j0; j <= j1; j++)
      for (let i = i0; i <= i1; i++, b0++) {
        const si = i - shiftVox[0] + dx[b0]!;
        const sj = j - shiftVox[1] + dy[b0]!;
        const sk = k - shiftVox[2] + dz[b0]!;
        const a = Math.round(toMask[0]! * si + toMask[1]! * sj + toMask[2]! * sk + toMask[3]!);
        const b = Math.round(toMask[4]! * si + toMask[5]! * sj + toMask[6]! * sk + toMask[7]!);
        const c = Math.round(toMask[8]! * si + toMask[9]! * sj + toMask[10]! * sk + toMask[11]!);
        if (a < 0 || b < 0 || c < 0 || a >= mx || b >= my || c >= mz) continue;
        if (!(mask.data[a + mx * (b + my * c)]! > 0)) continue;
        const n = i + nx * (j + ny * k);
        if (canvas.data[n] || !canvas.isBrain(n)) continue;
        canvas.data[n] = value;
        painted++;
      }
  return painted;
}

/** Paints an ellipsoid (semi-axes mm, rotation matrix) centred at canvas voxel `centre`. */
export function paintEllipsoid(
  canvas: LesionCanvas,
  options: { centre: Vec3; semiAxesMm: Vec3; rotation: Mat3; value: number },
): number {
  const { centre, semiAxesMm: ax, rotation: r, value } = options;
  const [nx, ny, nz] = canvas.grid.shape;
  const sp = canvas.grid.spacingMm;
  const reach = Math.max(ax[0], ax[1], ax[2]);
  let painted = 0;
  for (
    let k = Math.max(0, Math.floor(centre[2] - reach / sp[2]));
    k <= Math.min(nz - 1, Math.ceil(centre[2] + reach / sp[2]));
    k++
  )
    for (
      let j = Math.max(0, Math.floor(centre[1] - reach / sp[1]));
      j <= Math.min(ny - 1, Math.ceil(centre[1] + reach / sp[1]));
      j++
    )
      for (
        let i = Math.max(0, Math.floor(centre[0] - reach / sp[0]));
        i <= Math.min(nx - 1, Math.ceil(centre[0] + reach / sp[0]));
        i++
      ) {
        const dx = (i - centre[0]) * sp[0];
        const dy = (j - centre[1]) * sp[1];
        const dz = (k - centre[2]) * sp[2];
        // rotate into the ellipsoid frame (rᵀ d)
        const x = (r[0] * dx + r[3] * dy + r[6] * dz) / ax[0];
        const y = (r[1] * dx + r[4] * dy + r[7] * dz) / ax[1];
        const z = (r[2] * dx + r[5] * dy + r[8] * dz) / ax[2];
        if (x * x + y * y + z * z > 1) continue;
        const n = i + nx * (j + ny * k);
        if (canvas.data[n] || !canvas.isBrain(n)) continue;
        canvas.data[n] = value;
        painted++;
      }
  return painted;
}

/** The painted box of a canvas (with `marginVox`) as its own lesion-number volume. */
export function cropCanvas(
  canvas: LesionCanvas,
  marginVox: number,
): Volume<Uint8Array> | undefined {
  const { shape } = canvas.grid;
  const box = maskBoundingBox({ masks: [canvas.data], shape, marginVoxels: marginVox });
  if (!box) return undefined;
  const data = cropChannels({ data: canvas.data, channels: 1, shape, box });
  return createVolume(boxGeometry(canvas.grid, box), data, {
    modality: 'SEG',
    units: 'label',
  });
}

/** Blurred (near, far) copies of the mask of lesion `value` within a sub-box of `index`. */
function blurredBox(
  index: Volume<Uint8Array>,
  lo: Vec3,
  hi: Vec3,
): { shape: Vec3; near: Float32Array; far: Float32Array } {
  const [nx, ny] = index.geometry.shape;
  const shape: Vec3 = [hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1];
  const near = new Float32Array(shape[0] * shape[1] * shape[2]);
  for (let k = 0, t = 0; k < shape[2]; k++)
    for (let j = 0; j < shape[1]; j++)
      for (let i = 0; i < shape[0]; i++, t++)
        near[t] = index.data[lo[0] + i + nx * (lo[1] + j + ny * (lo[2] + k))] ? 1 : 0;
  const far = Float32Array.from(near);
  boxBlur3d(near, shape, { radius: [1, 1, 1] });
  boxBlur3d(far, shape, { radius: [2, 2, 2], passes: 2 });
  return { shape, near, far };
}

/**
 * Severity 0..1 of a cropped lesion-number volume: a blend of a 1 mm and a ~3 mm blur of the
 * mask (deep interior → 1, rim lower), modulated by a smooth heterogeneity field. Blurred per
 * lesion box, so that a shower of small dots costs little.
 */
export function severityMap(
  index: Volume<Uint8Array>,
  rng: Rng,
  heterogeneity: number,
): Volume<Float32Array> {
  const shape = index.geometry.shape;
  const [nx, ny, nz] = shape;
  const boxes = new Map<number, { lo: number[]; hi: number[] }>();
  for (let k = 0, v = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, v++) {
        const l = index.data[v]!;
        if (!l) continue;
        const b = boxes.get(l);
        if (!b) boxes.set(l, { lo: [i, j, k], hi: [i, j, k] });
        else {
          b.lo = [Math.min(b.lo[0]!, i), Math.min(b.lo[1]!, j), Math.min(b.lo[2]!, k)];
          b.hi = [Math.max(b.hi[0]!, i), Math.max(b.hi[1]!, j), Math.max(b.hi[2]!, k)];
        }
      }
  const field = randomSmoothField(rng, {
    controlPoints: shape.map((s) => Math.min(6, 2 + Math.floor(s / 15))) as unknown as Vec3,
    amplitude: heterogeneity,
  });
  const out = new Float32Array(index.data.length);
  for (const [, box] of [...boxes.entries()].sort((a, b) => a[0] - b[0])) {
    const lo = box.lo.map((x) => Math.max(0, x - 5)) as unknown as Vec3;
    const hi = box.hi.map((x, r) => Math.min(shape[r]! - 1, x + 5)) as unknown as Vec3;
    const { shape: bs, near, far } = blurredBox(index, lo, hi);
    for (let k = 0, t = 0; k < bs[2]; k++)
      for (let j = 0; j < bs[1]; j++)
        for (let i = 0; i < bs[0]; i++, t++) {
          const s = 1.4 * (0.4 * near[t]! + 0.6 * far[t]!);
          if (s <= 0.005) continue;
          const gi = lo[0] + i;
          const gj = lo[1] + j;
          const gk = lo[2] + k;
          const h =
            1 +
            evaluateField(
              field,
              gi / Math.max(1, nx - 1),
              gj / Math.max(1, ny - 1),
              gk / Math.max(1, nz - 1),
            );
          const v = gi + nx * (gj + ny * gk);
          out[v] = Math.max(out[v]!, Math.min(1, Math.max(0, s * h)));
        }
  }
  return createVolume(index.geometry, out, { modality: 'MR', units: 'probability' });
}
