import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Geometry } from '../core/geometry.js';
import { IDENTITY3, type Mat4 } from '../core/vec.js';
import { createVolume } from '../core/volume.js';
import { removeSmallLesions } from './remove-lesions.js';
import { intracranialMask, intracranialRegion, nativeMaskFromArray } from './intracranial-mask.js';

/** 1-mm template, 60³, brain mask = the cube 20..39 on every axis. */
const templateGeometry: Geometry = {
  shape: [60, 60, 60],
  spacingMm: [1, 1, 1],
  originMm: [0, 0, 0],
  direction: IDENTITY3,
};
const brain = new Uint8Array(60 ** 3);
for (let k = 20; k < 40; k++)
  for (let j = 20; j < 40; j++) for (let i = 20; i < 40; i++) brain[i + 60 * (j + 60 * k)] = 1;
const brainMask = createVolume(templateGeometry, brain);

const identity: Mat4 = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
/** Patient grid: 2 mm voxels over the same space. */
const patient: Geometry = { ...templateGeometry, shape: [30, 30, 30], spacingMm: [2, 2, 2] };
const at = (mask: Uint8Array, mm: [number, number, number]) =>
  mask[mm[0] / 2 + 30 * (mm[1] / 2 + 30 * (mm[2] / 2))];

describe('intracranialMask', () => {
  it('is the template brain mask plus the margin, on the patient grid', () => {
    const mask = intracranialMask({ geometry: patient, patientToTemplate: identity, brainMask });
    assert.equal(at(mask, [30, 30, 30]), 1, 'centre of the brain');
    assert.equal(at(mask, [44, 30, 30]), 1, '5 mm outside the brain: within the 8-mm margin');
    assert.equal(at(mask, [56, 30, 30]), 0, '17 mm outside: beyond the margin');
    assert.equal(at(mask, [2, 2, 2]), 0, 'corner');
  });

  it('follows the registration: a patient shifted by 14 mm has its brain 14 mm away', () => {
    // patient → template subtracts 14 mm in x: the patient's brain lies at x = 34..53.
    const shifted: Mat4 = [1, 0, 0, -14, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    const mask = intracranialMask({ geometry: patient, patientToTemplate: shifted, brainMask });
    assert.equal(at(mask, [44, 30, 30]), 1);
    assert.equal(at(mask, [10, 30, 30]), 0, 'the unshifted brain edge minus margin is outside');
  });
});

describe('intracranialRegion', () => {
  it('answers like the stored mask, and its box holds every inside voxel', () => {
    // A rotated, scaled patient: 10° about z, 1.1× — the box is not the mask's own box.
    const c = Math.cos(0.17);
    const sn = Math.sin(0.17);
    const tilted: Mat4 = [1.1 * c, -sn, 0, 3, sn, 1.1 * c, 0, -2, 0, 0, 1, 1, 0, 0, 0, 1];
    const options = { geometry: patient, patientToTemplate: tilted, brainMask };
    const stored = intracranialMask(options);
    const region = intracranialRegion(options);
    const box = region.box!;
    let inside = 0;
    for (let v = 0; v < stored.length; v++) {
      assert.equal(region.contains(v), stored[v] === 1);
      if (!stored[v]) continue;
      inside++;
      const ijk = [v % 30, Math.floor(v / 30) % 30, Math.floor(v / 900)];
      for (let a = 0; a < 3; a++) assert.ok(ijk[a]! >= box.lo[a]! && ijk[a]! <= box.hi[a]!);
    }
    assert.ok(inside > 0);
    // The box is hardly larger than the mask's own (half a 4-mm cell, rounding).
    const own = nativeMaskFromArray(stored, patient.shape).box!;
    for (let a = 0; a < 3; a++)
      assert.ok(own.lo[a]! - box.lo[a]! <= 2 && box.hi[a]! - own.hi[a]! <= 2);
  });
});

describe('removeSmallLesions with a brain mask', () => {
  it('removes lesions mostly outside the mask, and they do not set the triage score', () => {
    const geometry: Geometry = { ...patient, shape: [10, 1, 1] };
    // Lesion A: voxels 1-2 (inside); lesion B: voxels 6-8 (outside).
    const labels = Uint8Array.from([0, 1, 1, 0, 0, 0, 4, 4, 4, 0]);
    const probability = Float32Array.from([0, 0.8, 0.9, 0, 0, 0, 0.99, 0.99, 0.99, 0]);
    const inside = nativeMaskFromArray(Uint8Array.from([1, 1, 1, 1, 1, 0, 0, 0, 0, 0]), [10, 1, 1]);
    const r = removeSmallLesions({ labels, probability, geometry, minLesionMl: 0, inside });
    assert.equal(r.lesionCount, 1);
    assert.equal(r.removedOutside, 1);
    assert.equal(r.removed, 0);
    assert.deepEqual([...labels], [0, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(Math.round(r.score * 100), 90);
  });
});
