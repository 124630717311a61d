import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { triageHeadline } from './finding-summary.js';

describe('triageHeadline', () => {
  it('gives the volume of a positive scan and calls sub-threshold regions what they are', () => {
    assert.equal(triageHeadline({ positive: true, totalLesionMl: 12.44 }), 'positive, 12.4 mL');
    assert.equal(triageHeadline({ positive: false, totalLesionMl: 0 }), 'negative');
    assert.equal(
      triageHeadline({ positive: false, totalLesionMl: 19.5 }),
      'negative (19.5 mL sub-threshold)',
    );
  });
});
