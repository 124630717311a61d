/**
 * The DWI + ADC image checks: a clean phantom and every real diffusion series in ../shared/data
 * (normal volunteers and the ISLES'22 infarct) give no reason; each failing case, built from the
 * clean phantom by one change, gives its reason code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type NativeMask, nativeMaskFromArray } from '../intracranial-mask.js';
import type { AssessmentReasonCode } from './assessment-reason.js';
import {
  DIFFUSION_LIMITS,
  type DiffusionImageAssessment,
  assessDiffusionImages,
} from './diffusion-quality.js';
import { DWI_HEAD, diffusionPhantom, editVolume } from './quality-phantoms.js';
import { REAL_DIFFUSION, loadRealScan } from './test-fixtures.js';

const codes = (a: DiffusionImageAssessment): AssessmentReasonCode[] => a.reasons.map((r) => r.code);

describe('assessDiffusionImages on phantoms', () => {
  const clean = diffusionPhantom();
  // As registration gives: the head and a margin (the template brain mask + 8 mm).
  const inside: NativeMask = nativeMaskFromArray(
    editVolume(clean.dwi, (_, v) => (clean.adc.data[v]! > 0 ? 1 : 0)).data,
    clean.dwi.geometry.shape,
  );

  it('a clean b1000 phantom (SNR 25) gives no reason, with and without a brain mask', () => {
    for (const mask of [inside, undefined]) {
      const a = assessDiffusionImages({ ...clean, ...(mask && { inside: mask }) });
      assert.deepEqual(a.reasons, []);
      assert.ok(Math.abs(a.measures.snr - 25) < 3, `SNR ${a.measures.snr}`);
      assert.ok(Math.abs(a.measures.csfToTissue - 0.22) < 0.05, `${a.measures.csfToTissue}`);
    }
  });

  it('noise σ 250 (SNR 2) → low-snr', () => {
    const a = assessDiffusionImages({ ...diffusionPhantom({ noise: 250 }), inside });
    assert.ok(codes(a).includes('low-snr'), JSON.stringify(a.measures));
    assert.ok(a.measures.snr < DIFFUSION_LIMITS.snr);
  });

  it('a b0 given as the DWI (CSF twice as bright as tissue) → wrong-sequence', () => {
    const a = assessDiffusionImages({ ...diffusionPhantom({ diffusionWeighted: false }), inside });
    assert.deepEqual(codes(a), ['wrong-sequence']);
    assert.ok(Math.abs(a.measures.csfToTissue - 2) < 0.2, `${a.measures.csfToTissue}`);
  });

  it('an ADC map in 10⁻⁶ mm²/s read as mm²/s → wrong-sequence', () => {
    const adc = editVolume(clean.adc, (x) => x * 1e6);
    const a = assessDiffusionImages({ dwi: clean.dwi, adc, inside });
    assert.deepEqual(codes(a), ['wrong-sequence']);
  });

  it('an FA-like map (0.2–0.8, unitless) as the ADC → wrong-sequence', () => {
    const adc = editVolume(clean.adc, (x, v) =>
      x > 0 ? 0.2 + (0.6 * ((v * 7919) % 100)) / 100 : 0,
    );
    assert.ok(
      codes(assessDiffusionImages({ dwi: clean.dwi, adc, inside })).includes('wrong-sequence'),
    );
  });

  it('one slice dropped out (brain signal × 0.2) → motion', () => {
    const dwi = editVolume(clean.dwi, (x, _, k) => (k === 20 ? x * 0.2 : x));
    const a = assessDiffusionImages({ dwi, adc: clean.adc, inside });
    assert.deepEqual(codes(a), ['motion']);
    assert.equal(a.measures.jumpSlices, 1);
  });

  it('interleaved motion: every other slice at 0.4× → motion', () => {
    const dwi = editVolume(clean.dwi, (x, _, k) => (k % 2 === 1 ? x * 0.4 : x));
    const a = assessDiffusionImages({ dwi, adc: clean.adc, inside });
    assert.ok(codes(a).includes('motion'), JSON.stringify(a.measures));
  });

  it('a failed ADC fit (0 in 30 % of brain voxels) → motion', () => {
    const adc = editVolume(clean.adc, (x, v) => ((v * 2654435761) % 10 < 3 ? 0 : x));
    const a = assessDiffusionImages({ dwi: clean.dwi, adc, inside });
    assert.deepEqual(codes(a), ['motion']);
    assert.ok(a.measures.implausibleAdcPercent > DIFFUSION_LIMITS.implausibleAdcPercent);
  });

  it('the phantom tissue signal is the b1000 signal it was built with', () => {
    const a = assessDiffusionImages({ ...clean, inside });
    assert.ok(Math.abs(a.measures.brainMedianDwi - DWI_HEAD.s0 * Math.exp(-0.8)) < 10);
  });
});

describe('assessDiffusionImages on the real diffusion series', () => {
  for (const scan of REAL_DIFFUSION)
    it(`${scan.name}: no reason, with the registered brain mask (when accepted) and without`, async () => {
      const { images, inside } = await loadRealScan(scan);
      const [dwi, adc] = images as [(typeof images)[0], (typeof images)[0]];
      for (const mask of inside ? [inside, undefined] : [undefined]) {
        const a = assessDiffusionImages({ dwi, adc, ...(mask && { inside: mask }) });
        console.log(`${scan.name} ${mask ? 'mask' : 'no mask'}: ${JSON.stringify(a.measures)}`);
        assert.deepEqual(a.reasons, []);
      }
    });
});
