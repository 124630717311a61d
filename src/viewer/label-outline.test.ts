import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelOutline } from './label-outline.js';

describe('labelOutline', () => {
  it('keeps the surface of a cube and empties its inside', () => {
    const n = 7;
    const labels = new Uint8Array(n * n * n);
    const at = (x: number, y: number, z: number) => x + y * n + z * n * n;
    for (let z = 1; z <= 5; z++)
      for (let y = 1; y <= 5; y++) for (let x = 1; x <= 5; x++) labels[at(x, y, z)] = 2;
    const out = labelOutline(labels, [n, n, n]);
    assert.equal(out[at(3, 3, 3)], 0, 'centre emptied');
    assert.equal(out[at(1, 3, 3)], 2, 'face kept with its label');
    assert.equal(out[at(2, 2, 2)], 0, 'inner shell emptied');
    // 5³ cube minus its 3³ inside = 98 surface voxels.
    assert.equal(
      out.reduce((s, v) => s + (v > 0 ? 1 : 0), 0),
      125 - 27,
    );
  });

  it('marks the border between two labels on both sides', () => {
    const [nx, ny, nz] = [6, 3, 3];
    const labels = new Uint8Array(nx * ny * nz);
    for (let z = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++) labels[x + y * nx + z * nx * ny] = x < 3 ? 1 : 2;
    const out = labelOutline(labels, [nx, ny, nz]);
    const middleRow = [0, 1, 2, 3, 4, 5].map((x) => out[x + 1 * nx + 1 * nx * ny]);
    // x = 0 and 5 touch the grid's edge, x = 2 | 3 is the border between the labels.
    assert.deepEqual(middleRow, [1, 0, 1, 2, 0, 2]);
  });

  it('refuses a shape that does not match', () => {
    assert.throws(() => labelOutline(new Uint8Array(5), [2, 2, 2]), /5 voxels/);
  });
});
