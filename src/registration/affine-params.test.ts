import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Mat3 } from '../core/vec.js';
import { applyAffine, affineFromParts, composeAffine, invertAffine } from './affine-matrix.js';
import {
  PARAM_COUNT,
  describeLinear,
  linearFromParams,
  linearJacobian,
  rotationFromAngles,
  singularValues,
} from './affine-params.js';

const close = (a: number, b: number, tol: number, what = '') =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (±${tol})`);

describe('affine parameters', () => {
  const p = [
    3,
    -2,
    5,
    0.1,
    -0.2,
    0.15,
    Math.log(1.1),
    Math.log(0.95),
    Math.log(1.05),
    0.05,
    -0.03,
    0.02,
  ];

  it('decomposes a linear part back into its rotation, scale and shear', () => {
    const d = describeLinear(linearFromParams(p));
    const deg = 180 / Math.PI;
    close(d.rotationDeg[0], 0.1 * deg, 1e-9, 'rx');
    close(d.rotationDeg[1], -0.2 * deg, 1e-9, 'ry');
    close(d.rotationDeg[2], 0.15 * deg, 1e-9, 'rz');
    [1.1, 0.95, 1.05].forEach((s, a) => close(d.scale[a]!, s, 1e-12, `scale ${a}`));
    [0.05, -0.03, 0.02].forEach((s, a) => close(d.shear[a]!, s, 1e-12, `shear ${a}`));
    close(d.determinant, 1.1 * 0.95 * 1.05, 1e-12, 'det');
  });

  it('gives singular values of a known matrix and the rotation angle', () => {
    const r = rotationFromAngles(0.3, 0, 0);
    const a: Mat3 = [
      2 * r[0],
      0.5 * r[1],
      r[2],
      2 * r[3],
      0.5 * r[4],
      r[5],
      2 * r[6],
      0.5 * r[7],
      r[8],
    ];
    const s = singularValues(a);
    [2, 1, 0.5].forEach((v, i) => close(s[i]!, v, 1e-9, `σ${i}`));
    close(describeLinear(r).rotationAngleDeg, (0.3 * 180) / Math.PI, 1e-9, 'angle');
  });

  it('reports a mirror through a negative determinant', () => {
    assert.ok(describeLinear([1, 0, 0, 0, 1, 0, 0, 0, -1]).determinant < 0);
  });

  it('has a Jacobian that matches finite differences of the closed form', () => {
    const jac = linearJacobian(p);
    for (let j = 0; j < 9; j++) {
      const q = [...p];
      const h = 1e-4;
      q[3 + j] = p[3 + j]! + h;
      const plus = linearFromParams(q);
      q[3 + j] = p[3 + j]! - h;
      const minus = linearFromParams(q);
      for (let e = 0; e < 9; e++)
        close(jac[j * 9 + e]!, (plus[e]! - minus[e]!) / (2 * h), 1e-6, `∂A${e}/∂p${3 + j}`);
    }
    assert.equal(p.length, PARAM_COUNT);
  });
});

describe('affine matrices', () => {
  it('inverts and composes', () => {
    const a = affineFromParts(
      linearFromParams([0, 0, 0, 0.2, 0.1, -0.3, 0.1, 0, -0.1, 0.1, 0, 0]),
      [5, -7, 2],
    );
    const id = composeAffine(a, invertAffine(a));
    for (let r = 0; r < 4; r++)
      for (let c = 0; c < 4; c++) close(id[r * 4 + c]!, r === c ? 1 : 0, 1e-12, `I[${r},${c}]`);
    const x = applyAffine(a, [10, 20, 30]);
    const back = applyAffine(invertAffine(a), x);
    [10, 20, 30].forEach((v, i) => close(back[i]!, v, 1e-9));
  });
});
