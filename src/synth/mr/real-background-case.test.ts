import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Geometry } from '../../core/geometry.js';
import type { Vec3 } from '../../core/vec.js';
import { createVolume } from '../../core/volume.js';
import { loadSynthResources } from '../../io/reference-data.js';
import { normaliseAdc } from '../../preprocess/diffusion-maps.js';
import { sharedDataPath } from '../../testing/shared-data.js';
import { mapToTemplate, sampleLinear } from '../sampling.js';
import type { SynthCase } from '../synth-case.js';
import { mrTemplateTissue } from './mr-template-tissue.js';
import {
  type DiffusionBackground,
  type RealBackgroundResources,
  synthesizeRealBackgroundCase,
} from './real-background-case.js';

const loaded = loadSynthResources(sharedDataPath(), 'infarct');
const resources: RealBackgroundResources = {
  mr: loaded.mr!,
  tissue: mrTemplateTissue(loaded.mr!, loaded.lobes),
  territories: loaded.territories,
  infarctShapes: loaded.infarctShapes!,
};

/**
 * A "scan" independent of the synthesis: the MNI grey/white maps on a 3-mm grid in MNI space
 * (registration = identity), S0 from the tissue mix, ADC 800 in grey, 700 in white and 3,000 in
 * CSF (10⁻⁶ mm²/s), 0 outside the head like a scanner's masked ADC.
 */
function phantomBackground(): DiffusionBackground {
  const grid: Geometry = {
    shape: [60, 72, 60],
    spacingMm: [3, 3, 3],
    originMm: [-90, -126, -72],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  };
  const map = mapToTemplate(grid, { toTemplate: (p: Vec3) => p });
  const grey = sampleLinear(resources.mr.grey, map);
  const white = sampleLinear(resources.mr.white, map);
  const n = grey.length;
  const s0 = new Float32Array(n);
  const adc = new Float32Array(n);
  for (let v = 0; v < n; v++) {
    const tissue = grey[v]! + white[v]!;
    if (tissue < 0.05) continue;
    s0[v] = 100 * (1 + 0.3 * grey[v]!);
    adc[v] = tissue > 0.5 ? (800 * grey[v]! + 700 * white[v]!) / tissue : 3000;
  }
  // The acquired trace at b 1000, with a "ghost" stripe no re-make would produce.
  const trace = new Float32Array(n);
  for (let v = 0; v < n; v++)
    trace[v] = s0[v]! * Math.exp(-1000 * adc[v]! * 1e-6) + (Math.floor(v / 60) % 72 === 20 ? 7 : 0);
  return {
    name: 'phantom/mni-3mm',
    s0: createVolume(grid, s0, { modality: 'MR', units: 'arbitrary' }),
    adc1e6: adc,
    trace,
    bValue: 1000,
    patientToTemplate: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
  };
}

const background = phantomBackground();
const make = (seed: number, negative: boolean): SynthCase =>
  synthesizeRealBackgroundCase(resources, background, { id: `t${seed}`, seed, negative });

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

describe('synthesizeRealBackgroundCase', () => {
  const positives = [1, 2, 3, 4, 5, 6].map((seed) => make(seed, false));

  it('labels lesions whose ADC is lower than the same tissue of the background', () => {
    let cases = 0;
    for (const c of positives) {
      const adc = normaliseAdc(c.images.adc!).data;
      const ratios: number[] = [];
      c.label.data.forEach((l, v) => {
        if (l) ratios.push((adc[v]! * 1e6) / background.adc1e6[v]!);
      });
      if (ratios.length === 0) continue; // a lesion can fall outside the 3-mm slab's parenchyma
      cases++;
      const r = median(ratios);
      assert.ok(r > 0.3 && r < 0.95, `${c.id}: lesion ADC / tissue ADC median ${r.toFixed(2)}`);
    }
    assert.ok(cases >= 4, `only ${cases} of 6 positive cases have a label`);
  });

  it('re-makes the DWI from S0 and ADC: a lesion is brighter than its background', () => {
    for (const c of positives) {
      const dwi = c.images.dwi!.data;
      const inside: number[] = [];
      const tissue: number[] = [];
      c.label.data.forEach((l, v) => {
        if (l) inside.push(dwi[v]!);
        else if (background.adc1e6[v]! > 0 && background.adc1e6[v]! < 1000) tissue.push(dwi[v]!);
      });
      if (inside.length < 5) continue;
      assert.ok(median(inside) > 1.1 * median(tissue), `${c.id}: lesion DWI not brighter`);
    }
  });

  it('makes lesions as bright on DWI as acute infarcts are: hyperacute to early subacute', () => {
    // DWI lesion / same-tissue ratio per case at b 1000 (the phantom's b). Real acute infarcts:
    // ~1.2 hyperacute to ~2.5 subacute; the real ISLES'22 example in ../shared/data measures
    // 2.15 against its surroundings (docs/models.md). Until 0.4.0 implants were 1.1–1.6.
    const ratios = [...positives, ...[7, 8, 9, 10, 11, 12, 13, 14].map((seed) => make(seed, false))]
      .map((c) => {
        const dwi = c.images.dwi!.data;
        const inside: number[] = [];
        const tissue: number[] = [];
        c.label.data.forEach((l, v) => {
          if (l) inside.push(dwi[v]!);
          else if (background.adc1e6[v]! > 0 && background.adc1e6[v]! < 1000) tissue.push(dwi[v]!);
        });
        return inside.length < 5 ? undefined : median(inside) / median(tissue);
      })
      .filter((r): r is number => r !== undefined);
    assert.ok(ratios.length >= 8, `${ratios.length} cases with lesions`);
    const listed = ratios.map((r) => r.toFixed(2)).join(', ');
    // About a third early subacute (ratio > 2), and hyperacute ones still faint (< 1.4).
    const bright = ratios.filter((r) => r > 2).length / ratios.length;
    assert.ok(bright >= 0.25, `${(bright * 100).toFixed(0)} % of lesions above 2: ${listed}`);
    assert.ok(Math.min(...ratios) < 1.4, `no faint (hyperacute) lesion: ${listed}`);
    assert.ok(median(ratios) > 1.45 && median(ratios) < 2.4, `median out of range: ${listed}`);
  });

  it('never labels CSF, and a negative case has no label', () => {
    for (const c of positives)
      c.label.data.forEach((l, v) => {
        if (l)
          assert.ok(background.adc1e6[v]! < 1700, `${c.id}: label at ADC ${background.adc1e6[v]}`);
      });
    for (const seed of [11, 12, 13]) {
      const c = make(seed, true);
      assert.equal(c.label.data.filter((x: number) => x > 0).length, 0);
      assert.equal(c.lesions.length, 0);
    }
  });

  it('keeps the ADC map in recognisable units and the same seed gives the same case', () => {
    const a = make(3, false);
    const b = make(3, false);
    assert.deepEqual(
      Buffer.from(a.images.dwi!.data.buffer),
      Buffer.from(b.images.dwi!.data.buffer),
    );
    assert.deepEqual(Buffer.from(a.label.data.buffer), Buffer.from(b.label.data.buffer));
    assert.doesNotThrow(() => normaliseAdc(a.images.adc!));
  });

  it("as acquired: keeps the scan's own trace and ADC except where a lesion or mimic lands", () => {
    const trace = background.trace!;
    for (const [seed, negative] of [
      [21, true],
      [22, false],
      [23, false],
    ] as const) {
      const c = synthesizeRealBackgroundCase(resources, background, {
        id: `a${seed}`,
        seed,
        negative,
        acquisition: 'as-acquired',
      });
      const dwi = c.images.dwi!.data;
      const adc = c.images.adc!.data;
      let untouched = 0;
      const lesionRatios: number[] = [];
      for (let v = 0; v < dwi.length; v++) {
        if (dwi[v] === trace[v] && adc[v] === background.adc1e6[v]) untouched++;
        if (c.label.data[v]) {
          lesionRatios.push(adc[v]! / background.adc1e6[v]!);
          // brighter on DWI by exactly the physics at the scan's own b-value (no added noise)
          assert.ok(dwi[v]! > trace[v]!, `${c.id}: lesion voxel not brighter on DWI`);
        }
      }
      assert.equal(c.acquisition.bValue, 1000);
      assert.ok(untouched / dwi.length > 0.9, `${c.id}: only ${untouched} voxels kept`);
      if (negative) assert.equal(lesionRatios.length, 0);
      else if (lesionRatios.length > 0)
        assert.ok(median(lesionRatios) < 0.95, `${c.id}: lesion ADC ratio ${median(lesionRatios)}`);
    }
  });

  it('as acquired without a trace is refused', () => {
    const noTrace: DiffusionBackground = { ...background, trace: undefined };
    assert.throws(
      () =>
        synthesizeRealBackgroundCase(resources, noTrace, {
          id: 'x',
          seed: 1,
          negative: true,
          acquisition: 'as-acquired',
        }),
      /no acquired trace/,
    );
  });
});
