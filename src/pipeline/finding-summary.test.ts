import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { triageHeadline } from './finding-summary.js';

describe('triageHeadline', () => {
  it('gives the volume of a positive scan and calls sub-threshold regions what they are', () => {
    assert.equal(triageHeadline({ state: 'positive', totalLesionMl: 12.44 }), 'positive, 12.4 mL');
    assert.equal(triageHeadline({ state: 'negative', totalLesionMl: 0 }), 'negative');
    assert.equal(
      triageHeadline({ state: 'negative', totalLesionMl: 19.5 }),
      'negative (19.5 mL sub-threshold)',
    );
  });

  it('says NOT ASSESSABLE with the first reason, never negative, for a study it could not judge', () => {
    const headline = triageHeadline({
      state: 'not assessable',
      totalLesionMl: 0,
      reason: 'cerebellum 20 % imaged (below 50 %)',
    });
    assert.equal(headline, 'NOT ASSESSABLE: cerebellum 20 % imaged (below 50 %)');
    assert.doesNotMatch(headline, /negative/i);
    assert.equal(triageHeadline({ state: 'not assessable', totalLesionMl: 3 }), 'NOT ASSESSABLE');
  });
});
