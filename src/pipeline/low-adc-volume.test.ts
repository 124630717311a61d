import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createVolume } from '../core/volume.js';
import { loadBrainMask, loadLobeAtlas } from '../io/reference-data.js';
import { sharedDataPath } from '../testing/shared-data.js';
import { atlasLookup } from './localise-lesions.js';
import { lowAdcVolume } from './low-adc-volume.js';

const lobes = loadLobeAtlas(sharedDataPath());
const brainMask = loadBrainMask(sharedDataPath());
const IDENTITY = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

describe('lowAdcVolume', () => {
  it('counts brain voxels under 620 × 10⁻⁶ mm²/s, not CSF, ventricles, or zero signal', () => {
    // A 2 mm grid over MNI space; normal tissue 0.8 × 10⁻³ mm²/s.
    const geometry = {
      shape: [90, 110, 90] as const,
      spacingMm: [2, 2, 2] as const,
      originMm: [-89, -125, -71] as const,
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as const,
    };
    const data = new Float32Array(90 * 110 * 90).fill(0.8e-3);
    const at = atlasLookup(lobes);
    const inBrain = atlasLookup({ map: brainMask, names: new Map() });
    let lesion = 0;
    let ventricleLow = 0;
    for (let k = 0; k < 90; k++)
      for (let j = 0; j < 110; j++)
        for (let i = 0; i < 90; i++) {
          const v = i + 90 * (j + 110 * k);
          const p = [-89 + 2 * i, -125 + 2 * j, -71 + 2 * k];
          const label = at(p);
          // A 20 mm cube of low ADC in the right hemisphere (x < 0), inside tissue only.
          if (
            p[0]! >= -50 &&
            p[0]! < -30 &&
            p[1]! >= -20 &&
            p[1]! < 0 &&
            p[2]! >= 10 &&
            p[2]! < 30 &&
            label !== 0 &&
            label !== 31
          ) {
            data[v] = 0.4e-3;
            lesion++;
          }
          if (label === 31 && inBrain(p) === 1) {
            data[v] = 0.5e-3; // would count if ventricles were taken as brain
            ventricleLow++;
          }
          if (inBrain(p) === 0 && p[2]! < -60) data[v] = 0; // no signal below the brain
        }
    assert.ok(lesion > 500 && ventricleLow > 100);
    const r = lowAdcVolume({
      brainMask,
      adc: createVolume(geometry, data),
      patientToTemplate: IDENTITY,
      lobes,
    });
    assert.equal(r.volumeMl, Math.round(lesion * 0.008 * 100) / 100);
    assert.equal(r.largestComponentMl, r.volumeMl);
    assert.ok(r.brainMl > 1000 && r.brainMl < 2200, `brain ${r.brainMl} mL`);
  });
});
