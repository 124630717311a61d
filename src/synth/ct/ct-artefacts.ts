/**
 * Scanner artefacts on a rendered CT: beam hardening near the skull base (the dark band between
 * the petrous bones and darker posterior fossa), streaks (metal/motion: bright and dark lines
 * radiating from a point through a few slices), in-plane blur per reconstruction kernel (sharp
 * adds edge enhancement) and kernel-correlated quantum noise, brightening under the vertex, then
 * the calibration offset.
 */
import type { Rng } from '../../core/random.js';
import type { CtSiteProfile } from '../sites.js';

type Kernel = CtSiteProfile['kernel'];

/** In-plane blur (σ, mm) and edge enhancement per kernel. */
const KERNEL: Record<Kernel, { blurMm: number; sharpen: number }> = {
  soft: { blurMm: 0.8, sharpen: 0 },
  standard: { blurMm: 0.55, sharpen: 0 },
  sharp: { blurMm: 0.35, sharpen: 0.8 },
};

function gaussianTaps(sigmaVox: number): Float32Array {
  if (sigmaVox < 0.2) return Float32Array.of(1);
  const r = Math.max(1, Math.ceil(2.5 * sigmaVox));
  const taps = new Float32Array(2 * r + 1);
  let s = 0;
  for (let t = -r; t <= r; t++) s += taps[t + r] = Math.exp(-(t * t) / (2 * sigmaVox * sigmaVox));
  for (let t = 0; t < taps.length; t++) taps[t] = taps[t]! / s;
  return taps;
}

/** Separable in-plane (i, j) convolution of every slice, in place (edges clamped). */
export function blurInPlane(
  data: Float32Array,
  shape: readonly [number, number, number],
  taps: Float32Array,
): void {
  if (taps.length === 1) return;
  const [nx, ny, nz] = shape;
  const r = (taps.length - 1) / 2;
  const line = new Float32Array(nx + 2 * r);
  const slice = new Float32Array(nx * ny);
  for (let k = 0; k < nz; k++) {
    const base = k * nx * ny;
    for (let j = 0; j < ny; j++) {
      const o = base + j * nx;
      for (let i = 0; i < nx; i++) line[i + r] = data[o + i]!;
      for (let t = 0; t < r; t++) {
        line[t] = data[o]!;
        line[nx + r + t] = data[o + nx - 1]!;
      }
      for (let i = 0; i < nx; i++) {
        let s = 0;
        for (let t = 0; t < taps.length; t++) s += taps[t]! * line[i + t]!;
        data[o + i] = s;
      }
    }
    slice.set(data.subarray(base, base + nx * ny));
    for (let j = 0; j < ny; j++) {
      const o = base + j * nx;
      for (let i = 0; i < nx; i++) data[o + i] = 0;
      for (let t = -r; t <= r; t++) {
        const jj = j + t < 0 ? 0 : j + t >= ny ? ny - 1 : j + t;
        const w = taps[t + r]!;
        const src = jj * nx;
        for (let i = 0; i < nx; i++) data[o + i] = data[o + i]! + w * slice[src + i]!;
      }
    }
  }
}

/** Standard-normal table indexed by 16 random bits (cheap Gaussian noise). */
const GAUSS_TABLE = (() => {
  const t = new Float32Array(65536);
  for (let n = 0; n < t.length; n++) {
    const p = (n + 0.5) / t.length;
    t[n] = inverseNormal(p);
  }
  return t;
})();

function inverseNormal(p: number): number {
  // Acklam's rational approximation (relative error < 1.2e-9).
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - pl) return -inverseNormal(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/**
 * Reconstruction: quantum noise is added white, then the kernel shapes image and noise together
 * (sharp: edge enhancement, which also sharpens the noise; then an in-plane Gaussian whose width
 * sets the noise grain). The white noise is scaled so the final noise has `noiseHu` SD (times
 * `weight`, e.g. more in the posterior fossa).
 */
export function reconstruct(
  rng: Rng,
  hu: Float32Array,
  shape: readonly [number, number, number],
  options: { kernel: Kernel; inPlaneMm: number; noiseHu: number; weight?: Float32Array },
): void {
  const k = KERNEL[options.kernel];
  const taps = gaussianTaps(k.blurMm / options.inPlaneMm);
  let g2 = 0;
  for (const t of taps) g2 += t * t;
  const a = k.sharpen;
  const gain = options.noiseHu / (g2 * Math.sqrt((1 + a) ** 2 + (a * a) / 4));
  const w = options.weight;
  for (let v = 0; v + 1 < hu.length; v += 2) {
    const bits = (rng.next() * 4294967296) >>> 0;
    hu[v] = hu[v]! + GAUSS_TABLE[bits & 0xffff]! * gain * (w ? w[v]! : 1);
    hu[v + 1] = hu[v + 1]! + GAUSS_TABLE[bits >>> 16]! * gain * (w ? w[v + 1]! : 1);
  }
  if (a > 0) sharpenInPlane(hu, shape, a);
  blurInPlane(hu, shape, taps);
}

/** Unsharp mask with the 4-neighbour mean: x + a (x − mean4). */
function sharpenInPlane(
  hu: Float32Array,
  shape: readonly [number, number, number],
  a: number,
): void {
  const [nx, ny, nz] = shape;
  const slice = new Float32Array(nx * ny);
  for (let k = 0; k < nz; k++) {
    const base = k * nx * ny;
    slice.set(hu.subarray(base, base + nx * ny));
    for (let j = 1; j < ny - 1; j++)
      for (let i = 1; i < nx - 1; i++) {
        const n = j * nx + i;
        const mean = 0.25 * (slice[n - 1]! + slice[n + 1]! + slice[n - nx]! + slice[n + nx]!);
        hu[base + n] = slice[n]! + a * (slice[n]! - mean);
      }
  }
}

/**
 * Beam hardening: a dark band between the petrous bones across the pons and a darker posterior
 * fossa; returns the per-voxel noise weight (more noise where the beam is hardened).
 */
export function addBeamHardening(
  hu: Float32Array,
  positionsMm: Float32Array,
  intracranial: Float32Array,
  strengthHu: number,
): Float32Array {
  const weight = new Float32Array(hu.length);
  for (let v = 0; v < hu.length; v++) {
    const b = intracranial[v]!;
    weight[v] = 1;
    const z = positionsMm[3 * v + 2]!;
    if (b < 0.01 || z > 20) continue;
    const x = positionsMm[3 * v]!;
    const y = positionsMm[3 * v + 1]!;
    const fossa = Math.exp(-(((z + 35) / 22) ** 2) - ((y - 40) / 35) ** 2 - (x / 55) ** 2);
    const band = Math.exp(-(((z + 27) / 4) ** 2) - ((y - 18) / 14) ** 2 - (x / 30) ** 2);
    hu[v] = hu[v]! - strengthHu * (0.5 * fossa + band) * b;
    weight[v] = 1 + 0.8 * fossa;
  }
  return weight;
}

/**
 * Vertex brightening: the brain under the top of the skull reads brighter on real thick-slice
 * CT (partial volume of the tangentially cut skull, beam hardening), by up to `strengthHu` at
 * the vertex, rising smoothly from 40 mm above the template origin (quadratic ramp to 75 mm).
 */
export function addVertexBrightening(
  hu: Float32Array,
  positionsMm: Float32Array,
  intracranial: Float32Array,
  strengthHu: number,
): void {
  if (!(strengthHu > 0)) return;
  for (let v = 0; v < hu.length; v++) {
    const b = intracranial[v]!;
    if (b < 0.01) continue;
    const ramp = (positionsMm[3 * v + 2]! - 40) / 35;
    if (ramp <= 0) continue;
    const r = ramp < 1 ? ramp : 1;
    hu[v] = hu[v]! + strengthHu * r * r * b;
  }
}

/** Streaks radiating from a point through a few slices (metal or motion); returns a description. */
export function addStreaks(
  rng: Rng,
  hu: Float32Array,
  shape: readonly [number, number, number],
  inPlaneMm: number,
): string {
  const [nx, ny, nz] = shape;
  const k0 = rng.int(Math.floor(nz * 0.15), Math.floor(nz * 0.6));
  const span = rng.int(1, Math.max(1, Math.round(nz * 0.1)));
  const ci = nx / 2 + rng.uniform(-0.25, 0.25) * nx;
  const cj = ny / 2 + rng.uniform(-0.25, 0.25) * ny;
  const lines = Array.from({ length: rng.int(4, 10) }, () => ({
    angle: rng.uniform(0, Math.PI),
    amp: rng.uniform(40, 160) * (rng.chance(0.5) ? 1 : -1),
  }));
  const widthVox = rng.uniform(0.6, 1.6) / inPlaneMm;
  for (let k = Math.max(0, k0 - span); k <= Math.min(nz - 1, k0 + span); k++) {
    const fade = 1 - Math.abs(k - k0) / (span + 1);
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const dx = i - ci;
        const dy = j - cj;
        const r = Math.hypot(dx, dy);
        let add = 0;
        for (const l of lines) {
          const d = dx * Math.sin(l.angle) - dy * Math.cos(l.angle);
          if (Math.abs(d) > 3 * widthVox) continue;
          add += l.amp * Math.exp(-((d / widthVox) ** 2)) * (40 / (40 + r * inPlaneMm));
        }
        if (add !== 0) {
          const v = i + nx * (j + ny * k);
          if (hu[v]! > -500) hu[v] = hu[v]! + add * fade;
        }
      }
  }
  return 'streak artefact';
}
