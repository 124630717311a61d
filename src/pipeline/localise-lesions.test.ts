/**
 * Localisation on the real atlases: lesions painted where the atlases say brainstem and right
 * MCA (frontal) are reported there, with the side taken from LPS template x (+x = left), and the
 * patient → template affine is applied (a shifted patient grid gives the same answer).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Geometry } from '../core/geometry.js';
import { loadLobeAtlas, loadTerritoryAtlas } from '../io/reference-data.js';
import { sharedDataPath } from '../testing/shared-data.js';
import { findingSummary } from './finding-summary.js';
import { localiseLesions } from './localise-lesions.js';

const root = sharedDataPath();
const lobes = loadLobeAtlas(root);
const territories = loadTerritoryAtlas(root);
const IDENTITY = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

/** A cube of `radius` voxels around the first voxel whose whole cube has `value` in `map`. */
function cubeWhere(
  map: { data: ArrayLike<number>; shape: readonly number[] },
  value: number,
  radius: number,
): Uint8Array {
  const [nx, ny, nz] = map.shape as [number, number, number];
  const at = (i: number, j: number, k: number) => map.data[i + nx * (j + ny * k)];
  for (let k = radius; k < nz - radius; k += 2)
    for (let j = radius; j < ny - radius; j += 2)
      for (let i = radius; i < nx - radius; i += 2) {
        let inside = true;
        for (let c = -radius; c <= radius && inside; c++)
          for (let b = -radius; b <= radius && inside; b++)
            for (let a = -radius; a <= radius && inside; a++)
              inside = at(i + a, j + b, k + c) === value;
        if (!inside) continue;
        const out = new Uint8Array(nx * ny * nz);
        for (let c = -radius; c <= radius; c++)
          for (let b = -radius; b <= radius; b++)
            for (let a = -radius; a <= radius; a++) out[i + a + nx * (j + b + ny * (k + c))] = 1;
        return out;
      }
  throw new Error(`no cube of label ${value}`);
}

describe('localiseLesions', () => {
  it('reports a lesion placed in the brainstem in the brainstem', () => {
    const g = lobes.map.geometry;
    const labels = cubeWhere({ data: lobes.map.data, shape: g.shape }, 1, 2);
    const loc = localiseLesions({
      labels,
      geometry: g,
      labelNames: { 1: 'infarct' },
      patientToTemplate: IDENTITY,
      lobes,
      territories,
    });
    assert.equal(loc.lesions.length, 1);
    assert.equal(loc.total?.region, 'brainstem');
    assert.equal(loc.lesions[0]!.structures[0]!.name, 'brainstem');
    assert.equal(loc.lesions[0]!.volumeMl, 0.125);
    const summary = findingSummary({
      task: 'infarct',
      totalLesionMl: 0.125,
      lesionCount: 1,
      volumesMl: { infarct: 0.125 },
      localisation: loc,
    });
    assert.match(summary, /^Acute infarct, 0\.1 mL in 1 lesion, brainstem/);
  });

  it('reports a lesion in the right MCA frontal territory there, on the right', () => {
    const g = territories.map.geometry;
    assert.match(territories.names.get(8)!, /frontal pars of middle cerebral artery right/);
    const labels = cubeWhere({ data: territories.map.data, shape: g.shape }, 8, 3);
    const loc = localiseLesions({
      labels,
      geometry: g,
      labelNames: { 1: 'infarct' },
      patientToTemplate: IDENTITY,
      lobes,
      territories,
    });
    const lesion = loc.lesions[0]!;
    assert.equal(lesion.side, 'right');
    // The atlas's "right" is the patient's right: negative x in LPS.
    assert.ok(lesion.templateCentreMm[0] < 0, `x = ${lesion.templateCentreMm[0]}`);
    assert.deepEqual(lesion.territories[0], { name: 'MCA right', fraction: 1 });
    assert.equal(lesion.subTerritories[0]!.name, 'MCA frontal');
    const summary = findingSummary({
      task: 'infarct',
      totalLesionMl: lesion.volumeMl,
      lesionCount: 1,
      volumesMl: { infarct: lesion.volumeMl },
      localisation: loc,
    });
    assert.equal(summary, 'Acute infarct, 0.3 mL in 1 lesion, right MCA territory (frontal)');
  });

  it('maps patient positions through the affine', () => {
    const g = territories.map.geometry;
    const labels = cubeWhere({ data: territories.map.data, shape: g.shape }, 8, 3);
    // The same voxels, on a grid moved 20 mm to the patient's left and 5 mm up.
    const moved: Geometry = {
      ...g,
      originMm: [g.originMm[0] + 20, g.originMm[1], g.originMm[2] + 5],
    };
    const back = [1, 0, 0, -20, 0, 1, 0, 0, 0, 0, 1, -5, 0, 0, 0, 1];
    const loc = localiseLesions({
      labels,
      geometry: moved,
      labelNames: { 1: 'infarct' },
      patientToTemplate: back,
      lobes,
      territories,
    });
    assert.deepEqual(loc.lesions[0]!.territories[0], { name: 'MCA right', fraction: 1 });
    const wrong = localiseLesions({
      labels,
      geometry: moved,
      labelNames: { 1: 'infarct' },
      patientToTemplate: IDENTITY,
      lobes,
      territories,
    });
    assert.ok(wrong.lesions[0]!.templateCentreMm[0] > loc.lesions[0]!.templateCentreMm[0] + 19);
  });

  it('summarises no lesion and multi-label haemorrhage', () => {
    assert.equal(
      findingSummary({ task: 'ich', totalLesionMl: 0, lesionCount: 0, volumesMl: {} }),
      'No intracranial haemorrhage detected',
    );
    assert.equal(
      findingSummary({
        task: 'infarct',
        totalLesionMl: 0.34,
        lesionCount: 2,
        volumesMl: { infarct: 0.34 },
        positive: false,
      }),
      'No acute infarct detected (2 candidate regions, 0.3 mL, below the triage threshold)',
    );
    assert.equal(
      findingSummary({
        task: 'ich',
        totalLesionMl: 23.1,
        lesionCount: 2,
        volumesMl: { intraventricular: 3.1, intraparenchymal: 20 },
      }),
      'Intracranial haemorrhage, 23.1 mL (intraparenchymal 20.0 mL, intraventricular 3.1 mL) in 2 lesions',
    );
  });
});
