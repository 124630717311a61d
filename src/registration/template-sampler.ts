/**
 * The inner loop shared by the similarity metrics: every patient sample position u (LPS mm,
 * relative to the patient centre) is mapped to the template, y = A·u + b, and the template's
 * value and world gradient are interpolated trilinearly there. Samples whose 8 neighbours are
 * not all inside the template grid are marked invalid and left out by the metrics. Pure; no
 * allocation per call (the caller owns the output buffers).
 */
import type { TemplateLevel } from './template-image.js';

export interface SampleBuffers {
  /** Template value (bin coordinate) at each sample. */
  readonly values: Float32Array;
  /** Template world gradient at each sample, 3 per sample. */
  readonly gradients: Float32Array;
  /** 1 where the sample landed inside the template grid. */
  readonly valid: Uint8Array;
}

export function createSampleBuffers(count: number): SampleBuffers {
  return {
    values: new Float32Array(count),
    gradients: new Float32Array(3 * count),
    valid: new Uint8Array(count),
  };
}

/**
 * Fills `out` for the affine y = A·u + b (A row-major 3×3, b in mm); returns the number of valid
 * samples.
 */
export function sampleTemplate(
  level: TemplateLevel,
  positions: Float32Array,
  linear: ArrayLike<number>,
  offsetMm: ArrayLike<number>,
  out: SampleBuffers,
): number {
  const { m, o } = level.worldToIndex;
  const [nx, ny, nz] = level.geometry.shape;
  const ch = level.channels;
  // index = m·(A·u + b) + o = K·u + k0
  const k = new Float64Array(9);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++)
      k[r * 3 + c] =
        m[r * 3]! * linear[c]! + m[r * 3 + 1]! * linear[3 + c]! + m[r * 3 + 2]! * linear[6 + c]!;
  const k0 = [0, 1, 2].map(
    (r) =>
      m[r * 3]! * offsetMm[0]! +
      m[r * 3 + 1]! * offsetMm[1]! +
      m[r * 3 + 2]! * offsetMm[2]! +
      o[r]!,
  );
  const [k00, k01, k02, k10, k11, k12, k20, k21, k22] = k as unknown as number[];
  const [b0, b1, b2] = k0 as [number, number, number];
  const limX = nx - 1;
  const limY = ny - 1;
  const limZ = nz - 1;
  const sy = 4 * nx;
  const sz = 4 * nx * ny;
  const { values, gradients, valid } = out;
  const n = values.length;
  let count = 0;
  for (let s = 0; s < n; s++) {
    const ux = positions[3 * s]!;
    const uy = positions[3 * s + 1]!;
    const uz = positions[3 * s + 2]!;
    const x = k00! * ux + k01! * uy + k02! * uz + b0;
    const y = k10! * ux + k11! * uy + k12! * uz + b1;
    const z = k20! * ux + k21! * uy + k22! * uz + b2;
    if (!(x >= 0 && x < limX && y >= 0 && y < limY && z >= 0 && z < limZ)) {
      valid[s] = 0;
      continue;
    }
    const i0 = Math.floor(x);
    const j0 = Math.floor(y);
    const k0i = Math.floor(z);
    const fx = x - i0;
    const fy = y - j0;
    const fz = z - k0i;
    const gx = 1 - fx;
    const gy = 1 - fy;
    const gz = 1 - fz;
    const a = 4 * i0 + sy * j0 + sz * k0i;
    const b = a + sy;
    const c = a + sz;
    const d = c + sy;
    // Interpolate along x on the four edges, then y, then z; 4 channels each.
    const e0 = gx * ch[a]! + fx * ch[a + 4]!;
    const e1 = gx * ch[b]! + fx * ch[b + 4]!;
    const e2 = gx * ch[c]! + fx * ch[c + 4]!;
    const e3 = gx * ch[d]! + fx * ch[d + 4]!;
    const v = gz * (gy * e0 + fy * e1) + fz * (gy * e2 + fy * e3);
    const x0 = gx * ch[a + 1]! + fx * ch[a + 5]!;
    const x1 = gx * ch[b + 1]! + fx * ch[b + 5]!;
    const x2 = gx * ch[c + 1]! + fx * ch[c + 5]!;
    const x3 = gx * ch[d + 1]! + fx * ch[d + 5]!;
    const dx = gz * (gy * x0 + fy * x1) + fz * (gy * x2 + fy * x3);
    const y0 = gx * ch[a + 2]! + fx * ch[a + 6]!;
    const y1 = gx * ch[b + 2]! + fx * ch[b + 6]!;
    const y2 = gx * ch[c + 2]! + fx * ch[c + 6]!;
    const y3 = gx * ch[d + 2]! + fx * ch[d + 6]!;
    const dy = gz * (gy * y0 + fy * y1) + fz * (gy * y2 + fy * y3);
    const z0 = gx * ch[a + 3]! + fx * ch[a + 7]!;
    const z1 = gx * ch[b + 3]! + fx * ch[b + 7]!;
    const z2 = gx * ch[c + 3]! + fx * ch[c + 7]!;
    const z3 = gx * ch[d + 3]! + fx * ch[d + 7]!;
    const dz = gz * (gy * z0 + fy * z1) + fz * (gy * z2 + fy * z3);
    values[s] = v;
    gradients[3 * s] = dx;
    gradients[3 * s + 1] = dy;
    gradients[3 * s + 2] = dz;
    valid[s] = 1;
    count++;
  }
  return count;
}
