import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Geometry } from '../core/geometry.js';
import { abcOverTwo } from './abc-over-two.js';

function grid(shape: [number, number, number], spacingMm: [number, number, number]): Geometry {
  return { shape, spacingMm, originMm: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
}

describe('abcOverTwo', () => {
  it('measures an ellipsoid haematoma like a radiologist on 5 mm slices', () => {
    // Semi-axes 20 × 15 × 10 mm (true volume 12.6 mL), in-plane 0.5 mm, 5 mm slices through its centre.
    const g = grid([120, 100, 9], [0.5, 0.5, 5]);
    const labels = new Uint8Array(120 * 100 * 9);
    for (let k = 0; k < 9; k++)
      for (let j = 0; j < 100; j++)
        for (let i = 0; i < 120; i++) {
          const x = (i - 59.5) * 0.5;
          const y = (j - 49.5) * 0.5;
          const z = (k - 4) * 5;
          if ((x / 20) ** 2 + (y / 15) ** 2 + (z / 10) ** 2 <= 1)
            labels[i + 120 * (j + 100 * k)] = 1;
        }
    // A small second lesion elsewhere is ignored (the largest is measured).
    labels[0] = 1;
    const r = abcOverTwo({ labels, geometry: g })!;
    assert.ok(Math.abs(r.aMm - 40) <= 1, `A ${r.aMm}`);
    assert.ok(Math.abs(r.bMm - 30) <= 1, `B ${r.bMm}`);
    // Slices at z = 0 (full), ±5 mm (75 % of the area → 1 each), ±10 mm (empty).
    assert.equal(r.cMm, 15);
    assert.ok(Math.abs(r.volumeMl - (40 * 30 * 15) / 2000) < 0.3, `volume ${r.volumeMl}`);
  });

  it('finds the diameter of an oblique lesion, not its bounding box', () => {
    const g = grid([60, 60, 1], [1, 1, 5]);
    const labels = new Uint8Array(60 * 60);
    for (let t = 0; t < 40; t++) labels[10 + t + 60 * (10 + t)] = 1; // a diagonal streak
    const r = abcOverTwo({ labels, geometry: g })!;
    assert.ok(Math.abs(r.aMm - (39 * Math.SQRT2 + 1)) < 0.01, `A ${r.aMm}`);
    assert.ok(r.bMm < 2.5, `B ${r.bMm}`);
  });

  it('returns null without a lesion', () => {
    assert.equal(
      abcOverTwo({ labels: new Uint8Array(8), geometry: grid([2, 2, 2], [1, 1, 1]) }),
      null,
    );
  });
});
