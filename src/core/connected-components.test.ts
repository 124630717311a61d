import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectedComponents } from './connected-components.js';

function mask(shape: [number, number, number], on: [number, number, number][]): Uint8Array {
  const m = new Uint8Array(shape[0] * shape[1] * shape[2]);
  for (const [i, j, k] of on) m[i + shape[0] * (j + shape[1] * k)] = 1;
  return m;
}

describe('connectedComponents', () => {
  it('diagonal neighbours join at 26- but not at 6-connectivity', () => {
    const m = mask(
      [4, 4, 4],
      [
        [0, 0, 0],
        [1, 1, 1],
        [3, 3, 3],
      ],
    );
    assert.equal(connectedComponents(m, [4, 4, 4], { connectivity: 26 }).count, 2);
    assert.equal(connectedComponents(m, [4, 4, 4], { connectivity: 18 }).count, 3);
    assert.equal(connectedComponents(m, [4, 4, 4], { connectivity: 6 }).count, 3);
  });

  it('merges a U shape whose arms meet late in raster order, and sizes add up', () => {
    // Two vertical arms joined at the bottom row: labelled separately first, merged later.
    const on: [number, number, number][] = [];
    for (let j = 0; j < 5; j++) on.push([0, j, 0], [4, j, 0]);
    for (let i = 0; i < 5; i++) on.push([i, 4, 0]);
    const cc = connectedComponents(mask([5, 5, 1], on), [5, 5, 1], { connectivity: 6 });
    assert.equal(cc.count, 1);
    assert.equal(cc.sizes[1], 13);
  });

  it('empty mask has no components', () => {
    assert.equal(connectedComponents(new Uint8Array(27), [3, 3, 3]).count, 0);
  });

  it('does not wrap a last-row voxel onto the first row of its slice', () => {
    // (1, 2, 1) is in the last row: its (0, +1, −1) neighbour lies off the grid, and the linear
    // offset alone would land on (1, 0, 1), two rows away.
    const cc = connectedComponents(
      mask(
        [3, 3, 2],
        [
          [1, 0, 1],
          [1, 2, 1],
        ],
      ),
      [3, 3, 2],
    );
    assert.equal(cc.count, 2);
    assert.deepEqual([...cc.voxels], [1 + 9, 1 + 6 + 9]);
  });
});
