/**
 * Recovery of a known affine: a template is resampled onto a scanner-like oblique grid through
 * a known patient → template affine (rotation, shift, 6 % scale), with noise; registering it
 * back must give the same mapping to within 2 mm at points spread over the brain.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Geometry } from '../core/geometry.js';
import { createRng } from '../core/random.js';
import type { Mat3, Mat4, Vec3 } from '../core/vec.js';
import { mulMatVec } from '../core/vec.js';
import { type Volume, createVolume } from '../core/volume.js';
import { affineFromParts, applyAffine, invertAffine } from './affine-matrix.js';
import { rotationFromAngles } from './affine-params.js';
import { registerToTemplate } from './register-affine.js';
import { preparedTemplate, templateImage } from './test-fixtures.js';
import { warpAffine } from './warp-affine.js';

const deg = Math.PI / 180;

/** y = c + scale · R · (x − c) + t, about the template-space point c. */
function knownAffine(options: {
  rotationDeg: Vec3;
  shiftMm: Vec3;
  scale: number;
  centreMm: Vec3;
}): Mat4 {
  const r = rotationFromAngles(
    options.rotationDeg[0] * deg,
    options.rotationDeg[1] * deg,
    options.rotationDeg[2] * deg,
  );
  const a = r.map((v) => v * options.scale) as unknown as Mat3;
  const c = options.centreMm;
  const ac = mulMatVec(a, c);
  const t = options.shiftMm;
  return affineFromParts(a, [c[0] - ac[0] + t[0], c[1] - ac[1] + t[1], c[2] - ac[2] + t[2]]);
}

/** An oblique scanner grid (tilted `tiltDeg` about x) centred on `centreMm`. */
function scannerGrid(options: {
  spacingMm: Vec3;
  shape: Vec3;
  tiltDeg: number;
  centreMm: Vec3;
}): Geometry {
  const direction = rotationFromAngles(options.tiltDeg * deg, 0, 0);
  const half: Vec3 = [
    ((options.shape[0] - 1) * options.spacingMm[0]) / 2,
    ((options.shape[1] - 1) * options.spacingMm[1]) / 2,
    ((options.shape[2] - 1) * options.spacingMm[2]) / 2,
  ];
  const offset = mulMatVec(direction, half);
  const c = options.centreMm;
  return {
    shape: options.shape,
    spacingMm: options.spacingMm,
    originMm: [c[0] - offset[0], c[1] - offset[1], c[2] - offset[2]],
    direction,
  };
}

function withNoise(v: Volume, sd: number): Volume {
  const rng = createRng(17);
  const data = new Float32Array(v.data.length);
  for (let n = 0; n < data.length; n++) data[n] = v.data[n]! + rng.normal(0, sd);
  return createVolume(v.geometry, data, v.meta);
}

/** Points on a 3×3×3 lattice over the brain (template LPS mm). */
const BRAIN_POINTS: Vec3[] = [];
for (const x of [-50, 0, 50])
  for (const y of [-70, -15, 40]) for (const z of [-25, 15, 55]) BRAIN_POINTS.push([x, y, z]);

function errorsMm(truthP2T: Mat4, foundP2T: Mat4): { max: number; mean: number } {
  const toPatient = invertAffine(truthP2T);
  const errs = BRAIN_POINTS.map((q) => {
    const p = applyAffine(toPatient, q);
    const found = applyAffine(foundP2T, p);
    return Math.hypot(found[0] - q[0], found[1] - q[1], found[2] - q[2]);
  });
  return { max: Math.max(...errs), mean: errs.reduce((a, b) => a + b, 0) / errs.length };
}

describe('registration recovers a known affine', () => {
  const cases = [
    {
      kind: 'mr' as const,
      grid: { spacingMm: [1.8, 1.8, 5] as Vec3, shape: [128, 136, 30] as Vec3, tiltDeg: 12 },
      truth: { rotationDeg: [10, -4, 6] as Vec3, shiftMm: [8, -5, 4] as Vec3, scale: 1.06 },
      noise: 6,
    },
    {
      kind: 'ct' as const,
      grid: { spacingMm: [0.9, 0.9, 5] as Vec3, shape: [230, 260, 34] as Vec3, tiltDeg: -15 },
      truth: { rotationDeg: [-8, 5, -10] as Vec3, shiftMm: [-6, 8, -3] as Vec3, scale: 0.95 },
      noise: 60,
    },
  ];
  for (const c of cases)
    it(`${c.kind}: ${c.truth.rotationDeg.join('/')}° rotation, ${c.truth.shiftMm.join('/')} mm shift, scale ${c.truth.scale}`, (t) => {
      const centreMm: Vec3 = [0, -18, 10];
      const truth = knownAffine({ ...c.truth, centreMm });
      const grid = scannerGrid({ ...c.grid, centreMm: applyAffine(invertAffine(truth), centreMm) });
      const scan = withNoise(
        warpAffine({ volume: templateImage(c.kind), target: grid, targetToSource: truth }),
        c.noise,
      );
      const result = registerToTemplate({ patient: scan, template: preparedTemplate(c.kind) });
      assert.ok(result.ok, result.failureReason);
      const e = errorsMm(truth, result.patientToTemplate);
      t.diagnostic(
        `error max ${e.max.toFixed(2)} mm, mean ${e.mean.toFixed(2)} mm; score ${result.quality.score.toFixed(3)}; ${result.timingsMs.total.toFixed(0)} ms`,
      );
      assert.ok(e.max < 2, `largest error ${e.max.toFixed(2)} mm (mean ${e.mean.toFixed(2)} mm)`);
      assert.ok(e.mean < 1, `mean error ${e.mean.toFixed(2)} mm`);
      // the linear part of patient → template is scale · R: every stretch is `scale`
      for (const s of result.transform.stretches)
        assert.ok(Math.abs(s - c.truth.scale) < 0.04, `stretch ${s} vs ${c.truth.scale}`);
    });
});
