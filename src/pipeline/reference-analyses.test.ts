/**
 * Golden end-to-end test: the shipped models on the three reference studies give the recorded
 * labels (sha256 of the voxels), volumes, lesion count and triage score
 * (src/testing/reference-analyses.json, `npm run record:references`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readNiftiFile } from '../io/nifti/nifti-file.js';
import { REFERENCE_CASES, labelsSha256, referenceFor } from '../testing/reference-cases.js';
import { runCli } from '../testing/run-cli.js';

describe('reference analyses', () => {
  for (const c of REFERENCE_CASES)
    it(`${c.name}: same labels, volumes, lesion count and triage score`, () => {
      const expected = referenceFor(c);
      const out = mkdtempSync(join(tmpdir(), 'neurotriage-ref-'));
      try {
        const r = runCli(['analyze', ...c.inputs(), '--out', out, '--task', c.task]);
        assert.equal(r.status, 0, r.stderr);
        const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
          volumesMl: Record<string, number>;
          totalLesionMl: number;
          lesionCount: number;
          triage: { score: number; positive: boolean };
        };
        const labels = readNiftiFile(join(out, 'labels.nii.gz')).volumes[0]!.data as Uint8Array;
        assert.deepEqual(
          {
            labelsSha256: labelsSha256(labels),
            volumesMl: report.volumesMl,
            totalLesionMl: report.totalLesionMl,
            lesionCount: report.lesionCount,
            triageScore: report.triage.score,
            positive: report.triage.positive,
          },
          expected,
        );
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
});
