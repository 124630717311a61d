/**
 * The 12 parameters of an affine about a centre and their 3×3 linear part:
 * `A = R(rx, ry, rz) · Sh(xy, xz, yz) · S(exp(lx), exp(ly), exp(lz))`, with `R = Rz·Ry·Rx`,
 * `Sh` unit upper-triangular and `S` diagonal (log-scales keep the determinant positive).
 * Layout of a parameter vector: [tx, ty, tz (mm), rx, ry, rz (rad), lx, ly, lz, xy, xz, yz].
 * Also the inverse (QR) decomposition of a linear part, and its principal stretches (singular
 * values) and rotation angle, for reporting and plausibility checks. Pure.
 */
import type { Mat3 } from '../core/vec.js';
import { determinant, mulMat, transpose } from '../core/vec.js';

export const PARAM_COUNT = 12;
/** Index of the first rotation, log-scale and shear parameter. */
export const ROTATION = 3;
export const LOG_SCALE = 6;
export const SHEAR = 9;

export function rotationFromAngles(rx: number, ry: number, rz: number): Mat3 {
  const [ca, sa, cb, sb, cc, sc] = [
    Math.cos(rx),
    Math.sin(rx),
    Math.cos(ry),
    Math.sin(ry),
    Math.cos(rz),
    Math.sin(rz),
  ];
  const x: Mat3 = [1, 0, 0, 0, ca, -sa, 0, sa, ca];
  const y: Mat3 = [cb, 0, sb, 0, 1, 0, -sb, 0, cb];
  const z: Mat3 = [cc, -sc, 0, sc, cc, 0, 0, 0, 1];
  return mulMat(z, mulMat(y, x));
}

/** The linear part of parameter vector `p` (translation ignored). */
export function linearFromParams(p: ArrayLike<number>): Mat3 {
  const r = rotationFromAngles(p[ROTATION]!, p[ROTATION + 1]!, p[ROTATION + 2]!);
  const sx = Math.exp(p[LOG_SCALE]!);
  const sy = Math.exp(p[LOG_SCALE + 1]!);
  const sz = Math.exp(p[LOG_SCALE + 2]!);
  const [xy, xz, yz] = [p[SHEAR]!, p[SHEAR + 1]!, p[SHEAR + 2]!];
  // Sh · S, written out: columns scaled by sx, sy, sz.
  const shs: Mat3 = [sx, xy * sy, xz * sz, 0, sy, yz * sz, 0, 0, sz];
  return mulMat(r, shs);
}

/**
 * d(linear part)/d(parameter) for parameters 3…11: 9 rows (one per parameter), 9 entries each
 * (row-major matrix). Central differences of the closed form above (step 1e-6: error ~1e-10).
 */
export function linearJacobian(p: ArrayLike<number>): Float64Array {
  const out = new Float64Array(81);
  const q = Float64Array.from({ length: PARAM_COUNT }, (_, i) => p[i]!);
  const h = 1e-6;
  for (let j = 0; j < 9; j++) {
    const idx = ROTATION + j;
    const keep = q[idx]!;
    q[idx] = keep + h;
    const plus = linearFromParams(q);
    q[idx] = keep - h;
    const minus = linearFromParams(q);
    q[idx] = keep;
    for (let e = 0; e < 9; e++) out[j * 9 + e] = (plus[e]! - minus[e]!) / (2 * h);
  }
  return out;
}

export interface LinearDescription {
  /** Euler angles (R = Rz·Ry·Rx), degrees. */
  readonly rotationDeg: readonly [number, number, number];
  /** Angle of the rotation part about its axis, degrees (0 = no rotation). */
  readonly rotationAngleDeg: number;
  /** Scale along x, y, z of the QR decomposition (`S`). */
  readonly scale: readonly [number, number, number];
  /** Shear `Sh` entries xy, xz, yz. */
  readonly shear: readonly [number, number, number];
  /** Principal stretches (singular values), largest first. */
  readonly stretches: readonly [number, number, number];
  readonly determinant: number;
}

/**
 * Decomposes a linear part with positive determinant as `R · Sh · S` (Gram–Schmidt QR on the
 * columns). With a negative determinant (a mirror) the rotation is not proper; `determinant`
 * says so and the other fields describe `A · diag(1, 1, −1)`.
 */
export function describeLinear(a: Mat3): LinearDescription {
  const det = determinant(a);
  const m: Mat3 = det < 0 ? [a[0], a[1], -a[2], a[3], a[4], -a[5], a[6], a[7], -a[8]] : a;
  const col = (c: number) => [m[c]!, m[3 + c]!, m[6 + c]!];
  const dotv = (u: number[], v: number[]) => u[0]! * v[0]! + u[1]! * v[1]! + u[2]! * v[2]!;
  const q: number[][] = [];
  const u = new Array<number>(9).fill(0); // upper triangular, row-major
  for (let c = 0; c < 3; c++) {
    const v = col(c);
    for (let k = 0; k < c; k++) {
      const d = dotv(q[k]!, col(c));
      u[k * 3 + c] = d;
      for (let e = 0; e < 3; e++) v[e] = v[e]! - d * q[k]![e]!;
    }
    const n = Math.hypot(v[0]!, v[1]!, v[2]!);
    u[c * 3 + c] = n;
    q.push(v.map((x) => (n > 0 ? x / n : 0)));
  }
  const rot: Mat3 = [
    q[0]![0]!, q[1]![0]!, q[2]![0]!,
    q[0]![1]!, q[1]![1]!, q[2]![1]!,
    q[0]![2]!, q[1]![2]!, q[2]![2]!,
  ]; // prettier-ignore
  const scale = [u[0]!, u[4]!, u[8]!] as const;
  const shear = [u[1]! / scale[1], u[2]! / scale[2], u[5]! / scale[2]] as const;
  const deg = 180 / Math.PI;
  const ry = Math.asin(Math.max(-1, Math.min(1, -rot[6])));
  const rx = Math.atan2(rot[7], rot[8]);
  const rz = Math.atan2(rot[3], rot[0]);
  const cosAngle = (rot[0] + rot[4] + rot[8] - 1) / 2;
  return {
    rotationDeg: [rx * deg, ry * deg, rz * deg],
    rotationAngleDeg: Math.acos(Math.max(-1, Math.min(1, cosAngle))) * deg,
    scale,
    shear,
    stretches: singularValues(a),
    determinant: det,
  };
}

/** Singular values of a 3×3 matrix (square roots of the eigenvalues of AᵀA), largest first. */
export function singularValues(a: Mat3): readonly [number, number, number] {
  const s = [...mulMat(transpose(a), a)];
  // Cyclic Jacobi on the symmetric 3×3 matrix.
  for (let sweep = 0; sweep < 30; sweep++) {
    const off = s[1]! ** 2 + s[2]! ** 2 + s[5]! ** 2;
    if (off < 1e-24) break;
    for (const [p, r] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ] as const) {
      const apq = s[p * 3 + r]!;
      if (Math.abs(apq) < 1e-300) continue;
      const theta = (s[r * 3 + r]! - s[p * 3 + p]!) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const sn = t * c;
      for (let k = 0; k < 3; k++) {
        const skp = s[k * 3 + p]!;
        const skq = s[k * 3 + r]!;
        s[k * 3 + p] = c * skp - sn * skq;
        s[k * 3 + r] = sn * skp + c * skq;
      }
      for (let k = 0; k < 3; k++) {
        const spk = s[p * 3 + k]!;
        const sqk = s[r * 3 + k]!;
        s[p * 3 + k] = c * spk - sn * sqk;
        s[r * 3 + k] = sn * spk + c * sqk;
      }
    }
  }
  const ev = [s[0]!, s[4]!, s[8]!].map((x) => Math.sqrt(Math.max(0, x))).sort((x, y) => y - x);
  return [ev[0]!, ev[1]!, ev[2]!];
}
