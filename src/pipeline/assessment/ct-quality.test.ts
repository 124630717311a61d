/**
 * The head-CT image checks: a clean phantom and the real GE head CT give no reason; each
 * failing case, built from the clean phantom by one change, gives its reason code.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { nativeMaskFromArray } from '../intracranial-mask.js';
import type { AssessmentReasonCode } from './assessment-reason.js';
import { CT_LIMITS, type CtImageAssessment, assessCtImage } from './ct-quality.js';
import { CT_HEAD, ctBodyPhantom, ctHeadPhantom, editCt, ellipsoidR } from './quality-phantoms.js';
import { type LoadedScan, REAL_CT, loadRealScan } from './test-fixtures.js';

const codes = (a: CtImageAssessment): AssessmentReasonCode[] => a.reasons.map((r) => r.code);

describe('assessCtImage on phantoms', () => {
  const clean = ctHeadPhantom();

  it('a clean head phantom gives no reason and its brain reads 32 HU with σ 3 HU', () => {
    const a = assessCtImage({ ct: clean });
    assert.deepEqual(a.reasons, []);
    assert.ok(
      Math.abs(a.measures.brainMedianHu - CT_HEAD.brainHu) < 1,
      `${a.measures.brainMedianHu}`,
    );
    assert.ok(Math.abs(a.measures.noiseHu - CT_HEAD.noiseHu) < 0.5, `${a.measures.noiseHu}`);
  });

  it('a brain mask (as registration gives) changes nothing on the clean phantom', () => {
    const inside = editCt(clean, (_, __, p) => (ellipsoidR(p, [90, 106, 82]) < 1 ? 1 : 0));
    const a = assessCtImage({
      ct: clean,
      inside: nativeMaskFromArray(inside.data, clean.geometry.shape),
    });
    assert.deepEqual(a.reasons, []);
  });

  it('contrast: four 200-HU deep vessels (≈ 4 mL, internal cerebral veins, straight sinus…) → contrast-enhanced', () => {
    const vessels: [number, number][] = [
      [-8, -10],
      [8, -10],
      [0, 20],
      [0, 35],
    ];
    const ct = editCt(clean, (hu, _, p) =>
      Math.abs(p[2]) < 25 && vessels.some(([x, y]) => Math.hypot(p[0] - x, p[1] - y) < 2.6)
        ? 200
        : hu,
    );
    const a = assessCtImage({ ct });
    assert.deepEqual(codes(a), ['contrast-enhanced']);
    assert.ok(a.measures.enhancingMl > CT_LIMITS.enhancingMl, `${a.measures.enhancingMl}`);
  });

  it('one calcification-sized 150 HU speck (pineal, 0.2 mL) is not contrast', () => {
    const ct = editCt(clean, (hu, _, p) => (Math.hypot(p[0], p[1] + 20, p[2]) < 4 ? 150 : hu));
    assert.deepEqual(assessCtImage({ ct }).reasons, []);
  });

  it('metal: an aneurysm-clip-sized 3071 HU block (5 × 5 × 5 mm) → metal', () => {
    const ct = editCt(clean, (hu, _, p) =>
      Math.max(Math.abs(p[0] - 20), Math.abs(p[1] + 10), Math.abs(p[2])) <= 2.5 ? 3071 : hu,
    );
    assert.ok(codes(assessCtImage({ ct })).includes('metal'));
  });

  it('not calibrated: stored values without the −1024 rescale → low-contrast', () => {
    const ct = editCt(clean, (hu) => hu + 1024);
    assert.ok(codes(assessCtImage({ ct })).includes('low-contrast'));
  });

  it('brain at 70 HU (an offset calibration) → low-contrast', () => {
    const ct = editCt(clean, (hu) => (hu > -100 && hu < 100 ? hu + 38 : hu));
    const a = assessCtImage({ ct });
    assert.deepEqual(codes(a), ['low-contrast']);
    assert.equal(a.reasons[0]!.limit, CT_LIMITS.brainHu[1]);
  });

  it('noise σ 40 HU (far too low a dose) → low-contrast', () => {
    const a = assessCtImage({ ct: ctHeadPhantom({ noiseHu: 40 }) });
    assert.ok(codes(a).includes('low-contrast'), JSON.stringify(a.measures));
  });

  it('motion: one slice with the head 10 mm to the side → motion', () => {
    const [nx, ny] = clean.geometry.shape;
    const k = 14;
    const ct = editCt(clean, (hu, v) => {
      if (Math.floor(v / (nx * ny)) !== k) return hu;
      const i = v % nx;
      return i >= 10 ? clean.data[v - 10]! : -1000;
    });
    const a = assessCtImage({ ct });
    assert.deepEqual(codes(a), ['motion']);
    assert.ok(Math.abs(a.measures.centroidJumpMm - 10) < 1, `${a.measures.centroidJumpMm}`);
  });

  it('streaks: dark bands of −200 HU across the brain in five slices → motion', () => {
    const ct = editCt(clean, (hu, _, p) =>
      hu < 100 && hu > -100 && Math.abs(p[2]) < 12 && Math.floor(p[1] / 4) % 4 === 0 ? -200 : hu,
    );
    const a = assessCtImage({ ct });
    assert.ok(codes(a).includes('motion'), JSON.stringify(a.measures));
  });

  it('wrong body part: a 340-mm trunk with a spine and no skull ring → wrong-body-part', () => {
    const a = assessCtImage({ ct: ctBodyPhantom() });
    assert.deepEqual(
      codes(a).filter((c) => c === 'wrong-body-part'),
      ['wrong-body-part', 'wrong-body-part'],
    );
  });
});

describe('assessCtImage on the real GE head CT (normal)', () => {
  let scan: LoadedScan;
  before(async () => {
    scan = await loadRealScan(REAL_CT);
  });

  it('gives no reason, with the registered brain mask and without it', () => {
    assert.ok(scan.inside, 'the GE CT registers to the CT template');
    const ct = scan.images[0]!;
    for (const inside of [scan.inside, undefined]) {
      const a = assessCtImage({ ct, ...(inside && { inside }) });
      console.log(`ct-head-ge-tilt ${inside ? 'mask' : 'no mask'}: ${JSON.stringify(a.measures)}`);
      assert.deepEqual(a.reasons, []);
    }
  });

  it('a 0.45 mm CT, checked on a sample in-plane, gives the same answers; metal counted on every voxel', () => {
    const fine = ctHeadPhantom({ inPlaneMm: 0.45 });
    assert.deepEqual(assessCtImage({ ct: fine }).reasons, []);
    // a 3 × 3 × 5 mm coil (0.045 mL, over the 0.02 mL limit)
    const coil = editCt(fine, (hu, _, p) =>
      Math.abs(p[0] - 20) <= 1.5 && Math.abs(p[1] + 10) <= 1.5 && Math.abs(p[2]) <= 2.5 ? 3071 : hu,
    );
    const a = assessCtImage({ ct: coil });
    assert.deepEqual(codes(a), ['metal']);
    assert.equal(a.measures.maxHu, 3071);
  });
});
