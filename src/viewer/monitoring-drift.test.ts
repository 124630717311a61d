import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ScannerWeek, driftFlags, studiesOf } from './monitoring-drift.js';

function week(w: string, counts: Partial<ScannerWeek> = {}, station = 'CT1'): ScannerWeek {
  return {
    manufacturer: 'Acme',
    model: 'CT 9000',
    station,
    week: w,
    positive: 0,
    negative: 0,
    notAssessable: 0,
    notAnalysed: 0,
    failed: 0,
    pending: 0,
    ...counts,
  };
}

describe('monitoring drift rule', () => {
  it('counts every outcome as a study', () => {
    const all = { positive: 1, negative: 2, notAssessable: 3, notAnalysed: 4, failed: 5 };
    assert.equal(studiesOf(week('2026-W50', { ...all, pending: 6 })), 21);
  });

  it('flags more than 20 % not assessable, not 20 % exactly', () => {
    const flags = driftFlags([
      week('2026-W50', { negative: 3, notAssessable: 1 }),
      week('2026-W50', { negative: 4, notAssessable: 1 }, 'CT2'),
    ]);
    assert.deepEqual(flags, [true, false]);
  });

  it("flags a positive share at least twice the scanner's previous week", () => {
    const flags = driftFlags([
      week('2026-W50', { positive: 2, negative: 8 }),
      week('2026-W50', { positive: 1, negative: 9 }, 'CT2'),
      week('2026-W48', { positive: 1, negative: 9 }),
      week('2026-W48', { positive: 1, negative: 9 }, 'CT2'),
      week('2026-W47', { positive: 0, negative: 9 }),
    ]);
    // W50 CT1: 20 % after 10 % → flagged; CT2 steady; W48 CT1 after 0 % → never flagged.
    assert.deepEqual(flags, [true, false, false, false, false]);
  });

  it('does not flag a first week or a drop', () => {
    const flags = driftFlags([
      week('2026-W50', { positive: 1, negative: 9 }),
      week('2026-W49', { positive: 5, negative: 5 }),
    ]);
    assert.deepEqual(flags, [false, false]);
  });
});
