/** Radiological display of a slice: which stored voxel lands where, for the four usual storages. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Geometry } from '../core/geometry.js';
import type { Mat3 } from '../core/vec.js';
import { radiologicalView } from './radiological-view.js';

function geometry(direction: Mat3): Geometry {
  return { shape: [4, 3, 2], spacingMm: [1, 2, 3], originMm: [0, 0, 0], direction };
}

describe('radiologicalView', () => {
  it('leaves LPS-ordered axial slices as stored (i to patient left, j to posterior)', () => {
    const v = radiologicalView(geometry([1, 0, 0, 0, 1, 0, 0, 0, 1]));
    assert.deepEqual([v.width, v.height, v.spacingXMm, v.spacingYMm], [4, 3, 1, 2]);
    assert.deepEqual(v.voxelAt(0, 0), [0, 0]);
  });

  it('flips columns stored towards patient right and rows stored towards anterior', () => {
    const v = radiologicalView(geometry([-1, 0, 0, 0, -1, 0, 0, 0, 1]));
    assert.deepEqual(v.voxelAt(0, 0), [3, 2]);
    assert.deepEqual(v.voxelAt(3, 2), [0, 0]);
  });

  it('transposes slices whose columns run anterior–posterior', () => {
    // i → posterior, j → patient left.
    const v = radiologicalView(geometry([0, 1, 0, 1, 0, 0, 0, 0, -1]));
    assert.deepEqual([v.width, v.height, v.spacingXMm, v.spacingYMm], [3, 4, 2, 1]);
    assert.deepEqual(v.voxelAt(2, 0), [0, 2], 'display x follows j, display y follows i');
  });
});
