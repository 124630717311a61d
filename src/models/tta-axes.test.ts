import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ttaMirrorAxes } from './tta-axes.js';

describe('ttaMirrorAxes', () => {
  it('mirrors only the axes the model was trained to see mirrored', () => {
    const card = (flipLr: boolean, flipOther: boolean) => ({
      training: { config: { augment: { flipLr, flipOther } } },
    });
    assert.deepEqual(ttaMirrorAxes(card(true, false)), ['x']);
    assert.deepEqual(ttaMirrorAxes(card(true, true)), ['x', 'y', 'z']);
    assert.deepEqual(ttaMirrorAxes(card(false, true)), ['y', 'z']);
    assert.deepEqual(ttaMirrorAxes(card(false, false)), []);
  });

  it('uses all three axes when the card does not record its training augmentation', () => {
    assert.deepEqual(ttaMirrorAxes({}), ['x', 'y', 'z']);
    assert.deepEqual(ttaMirrorAxes({ training: { config: {} } }), ['x', 'y', 'z']);
  });
});
