import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Geometry } from '../core/geometry.js';
import { measureMidlineShift } from './midline-shift.js';

/** Brain at 30 HU with two lateral ventricles (5 HU) either side of a 2 mm septum at x = septumMm. */
function phantom(
  septumMm: number | null,
  offsetXMm = 0,
): { geometry: Geometry; data: Float32Array } {
  const shape: [number, number, number] = [101, 61, 51];
  const origin = [-50 + offsetXMm, -40, -10] as const;
  const data = new Float32Array(shape[0] * shape[1] * shape[2]);
  for (let k = 0; k < shape[2]; k++)
    for (let j = 0; j < shape[1]; j++)
      for (let i = 0; i < shape[0]; i++) {
        const x = origin[0] + i - offsetXMm;
        const y = origin[1] + j;
        const z = origin[2] + k;
        let v = 30;
        const inBand = y >= -22 && y <= 5 && z >= 2 && z <= 26;
        if (
          septumMm !== null &&
          inBand &&
          Math.abs(x - septumMm) > 1 &&
          Math.abs(x - septumMm) <= 12
        )
          v = 5;
        data[i + shape[0] * (j + shape[1] * k)] = v;
      }
  return {
    geometry: {
      shape,
      spacingMm: [1, 1, 1],
      originMm: origin,
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    },
    data,
  };
}

const IDENTITY = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

describe('measureMidlineShift', () => {
  it('finds a centred septum at 0 mm', () => {
    const r = measureMidlineShift({ ct: phantom(0), templateToPatient: IDENTITY });
    assert.ok(r.lines > 100, `${r.lines} lines`);
    assert.ok(Math.abs(r.shiftMm!) <= 0.5, `shift ${r.shiftMm}`);
  });

  it('measures a septum pushed 6 mm to the left (+x in LPS), and 4 mm to the right', () => {
    assert.ok(
      Math.abs(measureMidlineShift({ ct: phantom(6), templateToPatient: IDENTITY }).shiftMm! - 6) <=
        0.5,
    );
    assert.ok(
      Math.abs(
        measureMidlineShift({ ct: phantom(-4), templateToPatient: IDENTITY }).shiftMm! + 4,
      ) <= 0.5,
    );
  });

  it('measures against the registered midline, not the scanner x = 0', () => {
    // The head sits 10 mm to the left in the scanner; registration says so.
    const ct = phantom(6, 10);
    const moved = [1, 0, 0, 10, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    assert.ok(Math.abs(measureMidlineShift({ ct, templateToPatient: moved }).shiftMm! - 6) <= 0.5);
    assert.ok(
      Math.abs(measureMidlineShift({ ct, templateToPatient: IDENTITY }).shiftMm! - 16) <= 0.5,
    );
  });

  it('says it cannot measure when there are no ventricles to see', () => {
    const r = measureMidlineShift({ ct: phantom(null), templateToPatient: IDENTITY });
    assert.equal(r.shiftMm, null);
  });
});
