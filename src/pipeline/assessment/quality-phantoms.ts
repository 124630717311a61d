/**
 * Test phantoms for the image-quality checks, built in code so that each failing case is one
 * known change to a clean image:
 *
 * - a head CT (1 × 1 × 5 mm, LPS-like axes): air −1000 HU, scalp 40 HU, a 6-mm skull shell of
 *   1000 HU, brain 32 HU, a CSF "ventricle" of 5 HU, white noise σ 3 HU;
 * - a diffusion pair (3 mm isotropic): b1000 trace where tissue (ADC 0.8 × 10⁻³ mm²/s) reads 500
 *   and CSF (ADC 3.0 × 10⁻³, twice the T2 signal) reads 2 · S0 · e^{−3}, with Rician noise
 *   (σ 20: SNR 25) and a zero-filled ADC outside the head, as scanners store it.
 */
import type { Geometry } from '../../core/geometry.js';
import { createRng } from '../../core/random.js';
import type { Mat3, Vec3 } from '../../core/vec.js';
import { type Volume, createVolume } from '../../core/volume.js';

const IDENTITY: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

function grid(shape: Vec3, spacingMm: Vec3): Geometry {
  const half = (a: 0 | 1 | 2): number => (-(shape[a] - 1) * spacingMm[a]) / 2;
  const originMm: Vec3 = [half(0), half(1), half(2)];
  return { shape, spacingMm, originMm, direction: IDENTITY };
}

/** Calls `visit(v, x, y, z)` with each voxel's position in mm from the grid centre. */
function eachVoxel(g: Geometry, visit: (v: number, p: Vec3) => void): void {
  const [nx, ny, nz] = g.shape;
  let v = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, v++)
        visit(v, [
          g.originMm[0] + i * g.spacingMm[0],
          g.originMm[1] + j * g.spacingMm[1],
          g.originMm[2] + k * g.spacingMm[2],
        ]);
}

/** Ellipsoid "radius": < 1 inside the ellipsoid with semi-axes `axes` (mm). */
export function ellipsoidR(p: Vec3, axes: Vec3, centre: Vec3 = [0, 0, 0]): number {
  return Math.hypot(
    (p[0] - centre[0]) / axes[0],
    (p[1] - centre[1]) / axes[1],
    (p[2] - centre[2]) / axes[2],
  );
}

export const CT_HEAD = {
  brainAxesMm: [68, 84, 60] as Vec3,
  skullMm: 6,
  scalpMm: 4,
  brainHu: 32,
  csfHu: 5,
  noiseHu: 3,
};

export function ctHeadPhantom(
  options: { seed?: number; noiseHu?: number; inPlaneMm?: number } = {},
): Volume<Float32Array> {
  const mm = options.inPlaneMm ?? 1;
  const g = grid([Math.round(200 / mm), Math.round(230 / mm), 30], [mm, mm, 5]);
  const data = new Float32Array(g.shape[0] * g.shape[1] * g.shape[2]);
  const rng = createRng(options.seed ?? 1);
  const noise = options.noiseHu ?? CT_HEAD.noiseHu;
  const a = CT_HEAD.brainAxesMm;
  const grow = (d: number): Vec3 => [a[0] + d, a[1] + d, a[2] + d];
  eachVoxel(g, (v, p) => {
    let hu = -1000;
    if (ellipsoidR(p, grow(CT_HEAD.skullMm + CT_HEAD.scalpMm)) < 1) hu = 40;
    if (ellipsoidR(p, grow(CT_HEAD.skullMm)) < 1) hu = 1000;
    if (ellipsoidR(p, a) < 1) hu = CT_HEAD.brainHu;
    if (ellipsoidR(p, [12, 30, 15], [0, 0, 10]) < 1) hu = CT_HEAD.csfHu;
    data[v] = hu > -1000 ? hu + rng.normal(0, noise) : hu;
  });
  return createVolume(g, data, { modality: 'CT', units: 'HU', description: 'phantom head CT' });
}

/** A copy of `ct` with `change(hu, v, p)` applied to every voxel. */
export function editCt(
  ct: Volume<Float32Array>,
  change: (hu: number, v: number, p: Vec3) => number,
): Volume<Float32Array> {
  const data = ct.data.slice();
  eachVoxel(ct.geometry, (v, p) => {
    data[v] = change(data[v]!, v, p);
  });
  return createVolume(ct.geometry, data, ct.meta);
}

/** A trunk-like CT: a 340 × 240 mm soft-tissue ellipse with a spine and no closed bony ring. */
export function ctBodyPhantom(): Volume<Float32Array> {
  const g = grid([200, 150, 12], [2, 2, 5]);
  const data = new Float32Array(g.shape[0] * g.shape[1] * g.shape[2]);
  eachVoxel(g, (v, p) => {
    let hu = -1000;
    if (ellipsoidR([p[0], p[1], 0], [170, 120, 1]) < 1) hu = 40;
    if (ellipsoidR([p[0], p[1], 0], [20, 20, 1], [0, 80, 0]) < 1) hu = 700;
    data[v] = hu;
  });
  return createVolume(g, data, { modality: 'CT', units: 'HU', description: 'phantom trunk CT' });
}

export interface DiffusionPair {
  readonly dwi: Volume<Float32Array>;
  /** mm²/s. */
  readonly adc: Volume<Float32Array>;
}

export const DWI_HEAD = {
  brainAxesMm: [65, 80, 55] as Vec3,
  b: 1000,
  s0: 500 / Math.exp(-0.8),
  tissueAdc: 0.8e-3,
  csfAdc: 3.0e-3,
  noise: 20,
};

export function diffusionPhantom(
  options: { seed?: number; noise?: number; diffusionWeighted?: boolean } = {},
): DiffusionPair {
  const g = grid([64, 64, 40], [3, 3, 3]);
  const n = g.shape[0] * g.shape[1] * g.shape[2];
  const dwi = new Float32Array(n);
  const adc = new Float32Array(n);
  const rng = createRng(options.seed ?? 2);
  const sigma = options.noise ?? DWI_HEAD.noise;
  const b = options.diffusionWeighted === false ? 0 : DWI_HEAD.b;
  eachVoxel(g, (v, p) => {
    let s = 0;
    if (ellipsoidR(p, DWI_HEAD.brainAxesMm) < 1) {
      const csf = ellipsoidR(p, [12, 30, 15], [0, 0, 10]) < 1;
      const d = csf ? DWI_HEAD.csfAdc : DWI_HEAD.tissueAdc;
      s = (csf ? 2 : 1) * DWI_HEAD.s0 * Math.exp(-b * d);
      adc[v] = d + rng.normal(0, 0.03e-3);
    }
    dwi[v] = Math.hypot(s + rng.normal(0, sigma), rng.normal(0, sigma));
  });
  return {
    dwi: createVolume(g, dwi, { modality: 'MR', description: 'phantom DWI b1000' }),
    adc: createVolume(g, adc, { modality: 'MR', units: 'mm2/s', description: 'phantom ADC' }),
  };
}

/** A copy of `volume` with `change(value, v, k)` applied (k: slice index). */
export function editVolume(
  volume: Volume<Float32Array>,
  change: (value: number, v: number, k: number) => number,
): Volume<Float32Array> {
  const [nx, ny] = volume.geometry.shape;
  const data = volume.data.map((x, v) => change(x, v, Math.floor(v / (nx * ny))));
  return createVolume(volume.geometry, data, volume.meta);
}
