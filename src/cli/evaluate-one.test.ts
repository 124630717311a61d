/**
 * How an evaluation counts a study the model's report called not assessable (issue 25): as a
 * positive call (it goes to a radiologist; never a true negative), and listed on its own.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createVolume } from '../core/volume.js';
import { writeNiftiFile } from '../io/nifti/nifti-file.js';
import { summariseEvaluation } from '../eval/evaluation-summary.js';
import { evaluateOne } from './evaluate-one.js';

const root = mkdtempSync(join(tmpdir(), 'nt-evaluate-one-'));
after(() => rmSync(root, { recursive: true, force: true }));

const grid = {
  shape: [10, 10, 4] as [number, number, number],
  spacingMm: [1, 1, 1] as [number, number, number],
  originMm: [0, 0, 0] as [number, number, number],
  direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as [
    number, number, number, number, number, number, number, number, number,
  ], // prettier-ignore
};

/** A case with no lesion in truth nor prediction, and its report's triage. */
function emptyCase(id: string, triage: Record<string, unknown>) {
  const dir = join(root, id);
  mkdirSync(dir, { recursive: true });
  const empty = () => createVolume(grid, new Uint8Array(400));
  writeNiftiFile(join(dir, 'truth.nii.gz'), empty());
  writeNiftiFile(join(dir, 'labels.nii.gz'), empty());
  writeFileSync(join(dir, 'report.json'), JSON.stringify({ triage }));
  return evaluateOne(
    {
      id,
      truthPath: join(dir, 'truth.nii.gz'),
      predictionPath: join(dir, 'labels.nii.gz'),
      reportPath: join(dir, 'report.json'),
    },
    {},
  ).evaluation;
}

describe('evaluateOne with a not-assessable report', () => {
  it('counts it as a positive call, never a true negative, and lists it', () => {
    const na = emptyCase('na', { state: 'not assessable', positive: false, score: 0.1 });
    const neg = emptyCase('neg', { state: 'negative', positive: false, score: 0.1 });
    const old = emptyCase('old', { positive: false, score: 0.1 });
    assert.equal(na.predictedPositive, true);
    assert.equal(na.notAssessable, true);
    assert.equal(neg.predictedPositive, false);
    assert.equal(old.predictedPositive, false, 'a version 2 report: positive decides');
    const summary = summariseEvaluation([na, neg, old], { bootstrapIterations: 10 });
    assert.deepEqual(summary.notAssessableCases, ['na']);
    const counts = summary.patient.atModelDecision.counts;
    assert.equal(counts.tn, 2);
    assert.equal(counts.fp, 1);
  });
});
