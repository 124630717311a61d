import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../core/random.js';
import { brainHu, drawTissueHu } from './ct-anatomy.js';
import { drawGyralPattern, sulcusAt } from './ct-gyri.js';

const box = { minMm: [-80, -90, -75] as const, sizeMm: [161, 211, 166] as const };

describe('gyri and sulci over the template cortex', () => {
  const tissue = { ...drawTissueHu(createRng(5)), atrophyGamma: 1, vertexCsfThinning: 0 };
  // A cortical band point of the averaged template: half grey, half CSF.
  const blurHu = brainHu(tissue, 0.5, 0, 0.5);

  it('turns the half-CSF blur into sulci (near CSF) and gyri (near grey), CSF kept on average', () => {
    const gyri = drawGyralPattern(createRng(11), { ...box, strength: 1 });
    const hu: number[] = [];
    // 60 mm along a line through the convexity, every 0.5 mm.
    for (let t = 0; t < 120; t++) {
      const x = -40 + t * 0.5;
      hu.push(brainHu(tissue, 0.5, 0, 0.5, 0, sulcusAt(gyri, x, 10, 45)));
    }
    const sulcal = hu.filter((v) => v < tissue.csfHu + 0.25 * (tissue.greyHu - tissue.csfHu));
    const gyral = hu.filter((v) => v > tissue.greyHu - 0.25 * (tissue.greyHu - tissue.csfHu));
    assert.ok(sulcal.length >= 6 && sulcal.length <= 60, `${sulcal.length}/120 sulcal samples`);
    assert.ok(gyral.length >= 30, `${gyral.length}/120 gyral samples`);
    // Count the sulci crossed: runs of sulcal samples (real sulci are ~5–15 mm apart).
    let runs = 0;
    for (let i = 0; i < hu.length; i++)
      if (hu[i]! < blurHu - 5 && !(i > 0 && hu[i - 1]! < blurHu - 5)) runs++;
    assert.ok(runs >= 3 && runs <= 15, `${runs} sulci in 60 mm`);
    // Over the whole brain, the cortical band keeps its CSF: the mean HU stays the blur's.
    const rng = createRng(2);
    let sum = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) {
      const s = sulcusAt(gyri, rng.uniform(-70, 70), rng.uniform(-80, 110), rng.uniform(-60, 80));
      sum += brainHu(tissue, 0.5, 0, 0.5, 0, s);
    }
    const mean = sum / n;
    assert.ok(
      Math.abs(mean - blurHu) < 1,
      `mean ${mean.toFixed(1)} HU vs blur ${blurHu.toFixed(1)}`,
    );
  });

  it('leaves pure white matter and pure CSF alone, and does nothing at strength 0', () => {
    const gyri = drawGyralPattern(createRng(11), { ...box, strength: 1 });
    const flat = drawGyralPattern(createRng(11), { ...box, strength: 0 });
    for (let t = 0; t < 50; t++) {
      const s = sulcusAt(gyri, t, t, 40);
      assert.equal(brainHu(tissue, 0, 1, 0, 0, s), tissue.whiteHu);
      assert.equal(brainHu(tissue, 0, 0, 1, 0, s), tissue.csfHu);
      assert.equal(sulcusAt(flat, t, t, 40), 0);
    }
  });
});
