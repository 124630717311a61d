import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSynthResources } from '../../io/reference-data.js';
import { sharedDataPath } from '../../testing/shared-data.js';
import { CT_SITES } from '../sites.js';
import type { SynthCase } from '../synth-case.js';
import { linearProbe, prepareCtTemplate } from './ct-template.js';
import { synthesizeCtCase } from './synthesize-ct-case.js';
import type { IchType } from './ct-lesions.js';

const loaded = loadSynthResources(sharedDataPath(), 'ich');
if (!loaded.ct) throw new Error('CT anatomy missing from the loaded resources');
const ct = loaded.ct;
const resources = { ...loaded, ct };
const standard = CT_SITES.find((s) => s.name === 'ct-a-standard')!;
const templateHu = linearProbe(prepareCtTemplate(ct).hu, -1000);
const grey = linearProbe(ct.grey);
const white = linearProbe(ct.white);
const csf = linearProbe(ct.csf);

function meanWhere(c: SynthCase, keep: (v: number) => boolean): { mean: number; count: number } {
  const d = c.images.ct!.data;
  let s = 0;
  let count = 0;
  for (let v = 0; v < d.length; v++)
    if (keep(v)) {
      s += d[v]!;
      count++;
    }
  return { mean: s / count, count };
}

function templateAt(c: SynthCase, v: number): [number, number, number] {
  const p = c.templateMap.positionsMm;
  return [p[3 * v]!, p[3 * v + 1]!, p[3 * v + 2]!];
}

const HU_RANGE: Record<IchType, [number, number, number]> = {
  // [label value, min mean HU, max mean HU]
  IPH: [1, 45, 90],
  IVH: [2, 40, 80],
  SAH: [3, 40, 70],
  SDH: [4, 25, 80],
  EDH: [5, 55, 85],
};

describe('synthesizeCtCase', () => {
  it('is byte-identical for the same seed and differs for another seed', () => {
    const a = synthesizeCtCase(resources, { id: 'a', seed: 11, site: standard, gridSpacingMm: 2 });
    const b = synthesizeCtCase(resources, { id: 'a', seed: 11, site: standard, gridSpacingMm: 2 });
    const c = synthesizeCtCase(resources, { id: 'a', seed: 12, site: standard, gridSpacingMm: 2 });
    assert.deepEqual(Buffer.from(a.images.ct!.data.buffer), Buffer.from(b.images.ct!.data.buffer));
    assert.deepEqual(Buffer.from(a.label.data.buffer), Buffer.from(b.label.data.buffer));
    assert.deepEqual(a.acquisition, b.acquisition);
    assert.notDeepEqual(
      Buffer.from(a.images.ct!.data.buffer),
      Buffer.from(c.images.ct!.data.buffer),
    );
  });

  for (const type of Object.keys(HU_RANGE) as IchType[]) {
    it(`places a requested ${type} with its label value, inside the head, at blood density`, () => {
      const [value, lo, hi] = HU_RANGE[type];
      for (const seed of [1, 2]) {
        const c = synthesizeCtCase(resources, {
          id: type,
          seed,
          site: standard,
          lesionTypes: [type],
          gridSpacingMm: 1.5,
        });
        assert.equal(c.task, 'ich');
        assert.ok(
          c.lesions.some((l) => l.label === value),
          `${type} listed in lesions`,
        );
        const { mean, count } = meanWhere(c, (v) => c.label.data[v] === value);
        assert.ok(count > 0, `${type} (label ${value}) present in the label map`);
        assert.ok(
          mean >= lo && mean <= hi,
          `${type} mean ${mean.toFixed(1)} HU outside ${lo}..${hi}`,
        );
        for (let v = 0; v < c.label.data.length; v++) {
          const l = c.label.data[v]!;
          if (l === 0) continue;
          const [x, y, z] = templateAt(c, v);
          assert.ok(templateHu(x, y, z) > -500, `label ${l} outside the template head`);
          if (l === 1) assert.ok(grey(x, y, z) + white(x, y, z) > 0.3, 'IPH outside brain');
        }
      }
    });
  }

  it('renders normal grey, white matter and CSF in their HU ranges, and a negative has no label', () => {
    const c = synthesizeCtCase(resources, {
      id: 'n',
      seed: 5,
      site: standard,
      negative: true,
      gridSpacingMm: 1.5,
    });
    assert.equal(c.lesions.length, 0);
    assert.ok(
      c.label.data.every((v) => v === 0),
      'negative case has an empty label map',
    );
    const offset = Number(c.acquisition.huOffset);
    const tissue = (probe: typeof grey, min: number) =>
      meanWhere(c, (v) => {
        const [x, y, z] = templateAt(c, v);
        return z > 0 && probe(x, y, z) > min && csf(x, y, z) < 0.1;
      });
    const g = tissue(grey, 0.75);
    const w = tissue(white, 0.9);
    const f = meanWhere(c, (v) => {
      const [x, y, z] = templateAt(c, v);
      return z > 0 && csf(x, y, z) > 0.9;
    });
    assert.ok(g.count > 100 && w.count > 100 && f.count > 20);
    assert.ok(g.mean - offset >= 31 && g.mean - offset <= 46, `grey ${g.mean}`);
    assert.ok(w.mean - offset >= 23 && w.mean - offset <= 36, `white ${w.mean}`);
    assert.ok(f.mean - offset >= -2 && f.mean - offset <= 18, `CSF ${f.mean}`);
    assert.ok(g.mean > w.mean + 3, 'grey matter brighter than white matter');
  });

  it('renders the brain under the vertex as bright as real thick-slice CT, not as CSF', () => {
    // The real GE head CT (../shared/data/dicom/ct-head-ge-tilt, 4 mm) reads 30–60 HU in its
    // top brain slices; the averaged template alone gave 10–25 HU there (smeared sulcal CSF),
    // and a model trained on that called the real vertex "subdural".
    const c = synthesizeCtCase(resources, { id: 'v', seed: 4, site: standard, negative: true });
    const offset = Number(c.acquisition.huOffset);
    const d = c.images.ct!.data;
    const values: number[] = [];
    for (let v = 0; v < d.length; v++) {
      const [x, y, z] = templateAt(c, v);
      if (z < 55 || z > 65) continue;
      if (grey(x, y, z) + white(x, y, z) + csf(x, y, z) > 0.95) values.push(d[v]! - offset);
    }
    values.sort((a, b) => a - b);
    const median = values[Math.floor(values.length / 2)]!;
    assert.ok(values.length > 1000, `${values.length} vertex voxels`);
    assert.ok(median >= 30 && median <= 60, `vertex brain median ${median} HU`);
  });

  it('writes an acquisition grid from the site profile with HU metadata', () => {
    const c = synthesizeCtCase(resources, {
      id: 'acq',
      seed: 3,
      site: CT_SITES[1]!,
      lesionTypes: ['IPH'],
    });
    const img = c.images.ct!;
    assert.equal(img.meta.modality, 'CT');
    assert.equal(img.meta.units, 'HU');
    assert.ok(img.data instanceof Int16Array);
    const [sx, sy, sz] = img.geometry.spacingMm;
    assert.ok(sx >= 0.4 && sx <= 0.6 && sy === sx, `in-plane ${sx}`);
    assert.ok(img.geometry.shape[0] >= 350 && img.geometry.shape[0] <= 512);
    assert.ok(sz >= 3 && sz <= 5, `slice spacing ${sz}`);
    assert.equal(c.label.geometry, img.geometry);
    assert.equal(c.acquisition.site, CT_SITES[1]!.name);
    for (const key of ['sliceThicknessMm', 'gantryTiltDeg', 'noiseHu', 'kernel', 'midlineShiftMm'])
      assert.ok(key in c.acquisition, `acquisition records ${key}`);
    // Bone, air and brain are all present.
    assert.ok(meanWhere(c, (v) => img.data[v]! > 700).count > 1000, 'skull present');
    assert.ok(meanWhere(c, (v) => img.data[v]! < -900).count > 1000, 'air present');
  });

  it('has a training site with the 6–8 mm slices of sequential head CT protocols', () => {
    const site = CT_SITES.find((s) => s.name === 'ct-e-sequential')!;
    assert.equal(site.external, false, 'used for training');
    const c = synthesizeCtCase(resources, { id: 'seq', seed: 4, site, negative: true });
    const { spacingMm, shape } = c.images.ct!.geometry;
    assert.ok(spacingMm[2] >= 6 && spacingMm[2] <= 8, `slice spacing ${spacingMm[2]} mm`);
    assert.ok(shape[2] <= 30, `${shape[2]} slices cover the head`);
    assert.ok(Math.abs(Number(c.acquisition.sliceThicknessMm) - spacingMm[2]) < 0.001, 'no gap');
  });
});
