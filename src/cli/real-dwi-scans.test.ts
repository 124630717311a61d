/**
 * The shipped infarct model on every real diffusion scan of healthy volunteers in the shared
 * data, found by listing (`realDiffusionScans`), as a stroke team would check a triage tool:
 * each is read as negative — or not assessable when the scan leaves part of the brain unimaged
 * (issue 25: the UIH slab has no posterior fossa), never positive — its score at least 0.1 under
 * the card's operating point, with at most 0.5 mL segmented in all. The card must have an
 * operating point.
 *
 * TODO until a model passes: infarct-dwi 0.3.0 has no operating point and calls every one of
 * these scans positive (9.5–149 mL; docs/models.md, "Real scans"); the Canon 4-D NIfTI with a
 * `.bval` sidecar is not read yet. The tests run and report what they find; they do not fail
 * the suite while marked todo.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../testing/run-cli.js';
import { sharedDataPath } from '../testing/shared-data.js';
import { realDiffusionScans } from './real-scans-command.js';
import { ReportSchema } from '../report/report-schema.js';

const root = mkdtempSync(join(tmpdir(), 'nt-real-dwi-'));
after(() => rmSync(root, { recursive: true, force: true }));

const TODO = 'the shipped infarct model (0.3.0) calls real normal DWIs positive: issue 19';
/**
 * The GE folder (dcm_qa_ge) is a tag QA series: its b0 and six b1000 volumes are identical (mean
 * 210.2 each in dcm2niix's NIfTI), so it holds no diffusion contrast and must be refused.
 */
const NO_DIFFUSION_CONTRAST = 'dicom/dwi-ge';
const normals = realDiffusionScans(sharedDataPath()).filter(
  (s) => s.truth === 'normal' && s.name !== NO_DIFFUSION_CONTRAST,
);
const ge = realDiffusionScans(sharedDataPath()).find((s) => s.name === NO_DIFFUSION_CONTRAST);

describe('shipped infarct model on real normal diffusion scans', () => {
  it('finds the real normal scans by listing (five scanners with diffusion contrast)', () => {
    assert.ok(normals.length >= 5, normals.map((s) => s.name).join(', '));
  });

  it('refuses the GE QA series, whose b1000 volumes equal its b0, in one line', () => {
    assert.ok(ge, `${NO_DIFFUSION_CONTRAST} not found`);
    const r = runCli(['analyze', ...ge.inputs, '--task', 'infarct', '--out', join(root, 'ge')]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /no darker than b0/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });

  for (const scan of normals)
    it(
      `${scan.name}: not positive, score ≥ 0.1 under the operating point, ≤ 0.5 mL`,
      { todo: TODO },
      () => {
        const out = join(root, scan.name.replace(/\//g, '__'));
        const r = runCli(['analyze', ...scan.inputs, '--task', 'infarct', '--out', out]);
        assert.equal(r.status, 0, r.stderr);
        const report = ReportSchema.parse(
          JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')),
        );
        const threshold = report.triage.threshold;
        assert.notEqual(threshold, null, 'the card has no operating point');
        assert.notEqual(report.triage.state, 'positive', report.summary);
        if (report.triage.state === 'not assessable')
          assert.deepEqual(
            report.assessment.reasons.filter(
              (r) => r.code !== 'coverage' && r.code !== 'registration',
            ),
            [],
            'a normal scan is not assessable only for what it did not image',
          );
        assert.ok(
          report.triage.score <= threshold! - 0.1,
          `score ${report.triage.score} vs ${threshold}`,
        );
        assert.ok(report.totalLesionMl <= 0.5, `${report.totalLesionMl} mL segmented`);
      },
    );
});
