import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Geometry } from './geometry.js';
import {
  boxOnGrid,
  boxShape,
  cropChannels,
  growBox,
  maskBoundingBox,
  pasteChannels,
} from './grid-box.js';

const IDENTITY = [1, 0, 0, 0, 1, 0, 0, 0, 1] as const;

describe('grid boxes', () => {
  it('bounds the non-zero voxels of a mask, or null when empty', () => {
    const shape = [5, 4, 3] as const;
    const mask = new Uint8Array(60);
    assert.equal(maskBoundingBox({ masks: [mask], shape }), null);
    mask[1 + 5 * (2 + 4 * 0)] = 1;
    mask[3 + 5 * (1 + 4 * 2)] = 1;
    assert.deepEqual(maskBoundingBox({ masks: [mask], shape }), { lo: [1, 1, 0], hi: [3, 2, 2] });
  });

  it('maps a box to a coarser, flipped grid through world space', () => {
    // Native: 1 mm, x runs right-to-left in world; model: 2 mm, identity.
    const native: Geometry = {
      shape: [20, 10, 10],
      spacingMm: [1, 1, 1],
      originMm: [19, 0, 0],
      direction: [-1, 0, 0, 0, 1, 0, 0, 0, 1],
    };
    const model: Geometry = {
      shape: [10, 5, 5],
      spacingMm: [2, 2, 2],
      originMm: [0, 0, 0],
      direction: IDENTITY,
    };
    // Native x 2..5 → world x 17..14 → model x 7..8.5.
    const box = boxOnGrid({ box: { lo: [2, 0, 0], hi: [5, 3, 9] }, from: native, to: model });
    assert.deepEqual(box, { lo: [7, 0, 0], hi: [9, 2, 4] });
    const grown = boxOnGrid({
      box: { lo: [2, 0, 0], hi: [5, 3, 9] },
      from: native,
      to: model,
      marginVoxels: 1,
    });
    assert.deepEqual(grown, { lo: [6, 0, 0], hi: [9, 3, 4] });
  });

  it('grows a box to a patch about its centre without leaving the grid', () => {
    const box = growBox({ lo: [8, 2, 0], hi: [9, 3, 1] }, [4, 4, 4], [10, 10, 3]);
    assert.deepEqual(box, { lo: [6, 1, 0], hi: [9, 4, 2] });
    assert.deepEqual(boxShape(box), [4, 4, 3]);
  });

  it('crops channels and pastes them back with a fill value per channel', () => {
    const shape = [4, 3, 2] as const;
    const n = 24;
    const data = Float32Array.from({ length: 2 * n }, (_, v) => v);
    const box = { lo: [1, 1, 1], hi: [2, 2, 1] } as const;
    const crop = cropChannels({ data, channels: 2, shape, box });
    // Channel 0, z 1, y 1..2, x 1..2 → 12 + 4 + 1 = 17, 18, 21, 22; channel 1: + 24.
    assert.deepEqual([...crop], [17, 18, 21, 22, 41, 42, 45, 46]);
    const back = pasteChannels({ data: crop, fill: [1, 0], shape, box });
    assert.equal(back[17], 17);
    assert.equal(back[24 + 22], 46);
    assert.equal(back[0], 1);
    assert.equal(back[24], 0);
  });
});
