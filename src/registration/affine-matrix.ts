/**
 * 4×4 row-major homogeneous affine matrices (LPS mm → LPS mm): build from a 3×3 linear part
 * and a translation, apply to a point, compose, invert. Pure.
 */
import type { Mat3, Mat4, Vec3 } from '../core/vec.js';
import { invert, mulMatVec } from '../core/vec.js';

/** `[linear | translation; 0 0 0 1]`. */
export function affineFromParts(linear: Mat3, translationMm: Vec3): Mat4 {
  const l = linear;
  const t = translationMm;
  return [
    l[0], l[1], l[2], t[0],
    l[3], l[4], l[5], t[1],
    l[6], l[7], l[8], t[2],
    0, 0, 0, 1,
  ]; // prettier-ignore
}

/** The 3×3 linear part of an affine. */
export function linearPart(m: Mat4): Mat3 {
  return [m[0]!, m[1]!, m[2]!, m[4]!, m[5]!, m[6]!, m[8]!, m[9]!, m[10]!];
}

export function translationPart(m: Mat4): Vec3 {
  return [m[3]!, m[7]!, m[11]!];
}

/** m · (p, 1). */
export function applyAffine(m: Mat4, p: Vec3): Vec3 {
  return [
    m[0]! * p[0] + m[1]! * p[1] + m[2]! * p[2] + m[3]!,
    m[4]! * p[0] + m[5]! * p[1] + m[6]! * p[2] + m[7]!,
    m[8]! * p[0] + m[9]! * p[1] + m[10]! * p[2] + m[11]!,
  ];
}

/** a · b: apply `b` first, then `a`. */
export function composeAffine(a: Mat4, b: Mat4): Mat4 {
  const out: number[] = new Array<number>(16).fill(0);
  for (let r = 0; r < 4; r++)
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[r * 4 + k]! * b[k * 4 + c]!;
      out[r * 4 + c] = s;
    }
  return out;
}

/** Inverse of an affine (throws RangeError when the linear part is singular). */
export function invertAffine(m: Mat4): Mat4 {
  const inv = invert(linearPart(m));
  const t = mulMatVec(inv, translationPart(m));
  return affineFromParts(inv, [-t[0], -t[1], -t[2]]);
}
