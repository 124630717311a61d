/**
 * The restriction check: the yardstick is the scan's parenchymal ADC (CSF and air ignored), and
 * a candidate is removed only when its median ADC is over the ratio × that yardstick; what it
 * removes no longer sets the triage score.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Geometry } from '../core/geometry.js';
import { nativeMaskFromArray } from './intracranial-mask.js';
import { removeSmallLesions } from './remove-lesions.js';
import { normalTissueAdc } from './restriction-gate.js';

const geometry: Geometry = {
  shape: [12, 1, 1],
  spacingMm: [1, 1, 1],
  originMm: [0, 0, 0],
  direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
};

describe('normalTissueAdc', () => {
  it('is the median of the parenchymal-range voxels: CSF and air do not count', () => {
    const adc = Float32Array.from([0, 0, 0.003, 0.003, 0.003, 0.0007, 0.0008, 0.0009]);
    assert.ok(Math.abs(normalTissueAdc(adc) - 0.0008) < 1e-9);
  });

  it('counts only voxels inside the brain mask when one is given', () => {
    const adc = Float32Array.from([0.0007, 0.0007, 0.0012, 0.0012, 0.0012]);
    const inside = nativeMaskFromArray(Uint8Array.from([1, 1, 1, 0, 0]), [5, 1, 1]);
    assert.ok(Math.abs(normalTissueAdc(adc, inside) - 0.0007) < 1e-9);
  });

  it('is NaN when no voxel is in the parenchymal range', () => {
    assert.ok(Number.isNaN(normalTissueAdc(Float32Array.from([0, 0.003]))));
  });
});

describe('removeSmallLesions with the restriction check', () => {
  // Lesion A (voxels 1-2): ADC 0.0005, restricted. Lesion B (voxels 6-8): ADC 0.0008, like
  // normal tissue (a bright cerebellum). Normal tissue: 0.0008.
  const labels = () => Uint8Array.from([0, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0]);
  const probability = Float32Array.from([0, 0.8, 0.9, 0, 0, 0, 0.99, 0.99, 0.99, 0, 0, 0]);
  const adc = Float32Array.from([8, 5, 5, 8, 8, 8, 8, 8, 8, 8, 8, 8].map((x) => x * 1e-4));
  const check = (maxRelativeAdc: number) => ({
    adcMm2PerS: adc,
    maxRelativeAdc,
    normalAdcMm2PerS: 0.0008,
  });

  it('removes the unrestricted lesion; the restricted one keeps the score', () => {
    const l = labels();
    const r = removeSmallLesions({
      labels: l,
      probability,
      geometry,
      minLesionMl: 0,
      restriction: check(0.9),
    });
    assert.equal(r.lesionCount, 1);
    assert.equal(r.removedUnrestricted, 1);
    assert.deepEqual([...l], [0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(Math.round(r.score * 100), 90);
  });

  it('keeps both when the ratio allows the second (1.0 × normal)', () => {
    const r = removeSmallLesions({
      labels: labels(),
      probability,
      geometry,
      minLesionMl: 0,
      restriction: check(1.0),
    });
    assert.equal(r.lesionCount, 2);
    assert.equal(r.removedUnrestricted, 0);
  });

  it('keeps every lesion when the yardstick is not measurable (NaN)', () => {
    const r = removeSmallLesions({
      labels: labels(),
      probability,
      geometry,
      minLesionMl: 0,
      restriction: { adcMm2PerS: adc, maxRelativeAdc: 0.9, normalAdcMm2PerS: Number.NaN },
    });
    assert.equal(r.lesionCount, 2);
  });
});
