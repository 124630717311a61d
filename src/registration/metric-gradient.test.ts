/**
 * The analytic gradients of both similarity metrics (through the parameters, i.e. including the
 * chain rule of level-optimiser.ts) against central finite differences, on a small smooth
 * phantom: an ellipsoid with a soft edge and an inner structure, against a moved copy. (On
 * hard edges the central-difference gradient image and the derivative of the trilinear
 * interpolant differ, which is a property of the method, not of the formula tested here.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Geometry } from '../core/geometry.js';
import { indexToWorld } from '../core/geometry.js';
import type { Vec3 } from '../core/vec.js';
import { createVolume } from '../core/volume.js';
import { PARAM_COUNT } from './affine-params.js';
import { type LevelProblem, type SimilarityMetric, evaluateLevel } from './level-optimiser.js';
import { preparePatient } from './patient-samples.js';
import { prepareTemplate } from './template-image.js';
import { createSampleBuffers } from './template-sampler.js';

function phantom(geometry: Geometry, shift: Vec3) {
  const [nx, ny, nz] = geometry.shape;
  const data = new Float32Array(nx * ny * nz);
  let n = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, n++) {
        const p = indexToWorld(geometry, [i, j, k]);
        const x = (p[0] - shift[0]) / 60;
        const y = (p[1] - shift[1]) / 75;
        const z = (p[2] - shift[2]) / 55;
        const r = x * x + y * y + z * z;
        const inner = (x - 0.2) ** 2 + (y + 0.1) ** 2 + z * z;
        // smooth everywhere (a soft edge), so that central differences are the true gradient
        const edge = 1 / (1 + Math.exp((Math.sqrt(r) - 1) * 5));
        data[n] = edge * (100 + 80 * Math.exp(-inner * 3) + 30 * Math.sin(4 * x + 3 * y));
      }
  return createVolume(geometry, data);
}

const grid = (spacing: number, n: Vec3): Geometry => ({
  shape: n,
  spacingMm: [spacing, spacing, spacing],
  originMm: [(-(n[0] - 1) * spacing) / 2, (-(n[1] - 1) * spacing) / 2, (-(n[2] - 1) * spacing) / 2],
  direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
});

describe('similarity metric gradients', () => {
  const template = prepareTemplate({
    image: phantom(grid(1.5, [132, 144, 120]), [0, 0, 0]),
    name: 'phantom',
    kind: 'mr',
    levelsMm: [1.5],
  });
  const patient = preparePatient({
    image: phantom(grid(3, [66, 72, 60]), [6, -4, 3]),
    levelsMm: [3],
    bins: template.bins,
  });
  const params = [1.5, -2, 0.5, 0.05, -0.03, 0.04, 0.02, -0.01, 0.03, 0.01, 0.02, -0.015];

  for (const metric of ['mutual-information', 'ncc'] as SimilarityMetric[])
    it(`${metric}: analytic gradient matches finite differences`, () => {
      const problem: LevelProblem = {
        template: template.levels[0]!,
        patient: patient.levels[0]!,
        bins: template.bins,
        metric,
        initialLinear: [1, 0, 0, 0, 1, 0, 0, 0, 1],
        patientCentreMm: patient.centreMm,
        templateCentreMm: template.centreMm,
      };
      const buffers = createSampleBuffers(problem.patient.fixedBins.length);
      const gradient = new Float64Array(PARAM_COUNT);
      evaluateLevel(problem, params, buffers, gradient);
      const numeric = new Float64Array(PARAM_COUNT);
      for (let i = 0; i < PARAM_COUNT; i++) {
        const h = i < 3 ? 0.02 : 2e-4;
        const q = [...params];
        q[i] = params[i]! + h;
        const plus = evaluateLevel(problem, q, buffers).cost;
        q[i] = params[i]! - h;
        const minus = evaluateLevel(problem, q, buffers).cost;
        numeric[i] = (plus - minus) / (2 * h);
      }
      // Per parameter within 8 % (of the larger of itself and 5 % of the largest component) and
      // the same direction: the template's gradient is a central
      // difference (on a 3 mm grid the shear terms differ by up to 16 %, on 1.5 mm by ≤ 5 %).
      const largest = gradient.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      let dot = 0;
      let na = 0;
      let nn = 0;
      for (let i = 0; i < PARAM_COUNT; i++) {
        const a = gradient[i]!;
        const b = numeric[i]!;
        const scale = Math.max(Math.abs(a), Math.abs(b), 0.05 * largest);
        assert.ok(Math.abs(a - b) / scale < 0.08, `parameter ${i}: analytic ${a} vs numeric ${b}`);
        dot += a * b;
        na += a * a;
        nn += b * b;
      }
      const cosine = dot / Math.sqrt(na * nn);
      assert.ok(cosine > 0.998, `cosine between analytic and numeric gradients ${cosine}`);
    });
});
