/**
 * The shipped default models (`models/infarct-dwi`, `models/ich-ct`) on the two real scans we
 * have, as a radiologist would check them:
 * - the ISLES'22 example (DWI + ADC, a right-hemisphere MCA infarct by its header) comes out
 *   positive, in the right MCA territory, with a volume close to the model-free yardstick
 *   (brain volume with ADC < 620 × 10⁻⁶ mm²/s, largest component);
 * - the normal GE head CT (DICOM, gantry tilt) comes out negative, registers to the CT template
 *   with a reported quality, and its DICOM key images read back.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dciodvfy, dcmdump } from '../testing/dicom-tools.js';
import { runCli } from '../testing/run-cli.js';
import { sharedDataPath } from '../testing/shared-data.js';
import { type AnalyzeReport, ReportSchema } from '../report/report-schema.js';

const root = mkdtempSync(join(tmpdir(), 'nt-real-'));
after(() => rmSync(root, { recursive: true, force: true }));

function analyze(args: readonly string[], out: string): AnalyzeReport {
  const r = runCli(['analyze', ...args, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /not a medical device/);
  return ReportSchema.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
}

describe('shipped models on real scans', () => {
  it('ISLES22 example: positive, right MCA territory, volume near the ADC < 620 yardstick', () => {
    const dir = sharedDataPath('cases', 'isles22-mca-example');
    const report = analyze([join(dir, 'dwi.nii.gz'), join(dir, 'adc.nii.gz')], join(root, 'isles'));
    assert.equal(report.task, 'infarct');
    assert.equal(report.triage.positive, true, report.summary);
    const location = report.location;
    assert.ok(location?.registration.ok, 'the DWI registers to MNI');
    assert.ok(location.total, 'a total location');
    assert.equal(location.total.side, 'right', report.summary);
    assert.equal(location.total.territories[0]?.name, 'MCA right', report.summary);
    assert.match(report.summary, /right MCA territory/);
    // Plausible size: the segmented DWI lesion against the low-ADC core, largest component.
    // A DWI lesion is usually at least the ADC core and rarely far beyond it in an acute MCA
    // infarct; 0.5–2.5× is what we call close (docs/models.md gives the measured ratio).
    const core = report.infarct?.lowAdcLargestComponentMl ?? 0;
    assert.ok(core > 1, `low-ADC core ${core} mL`);
    const ratio = report.totalLesionMl / core;
    assert.ok(ratio > 0.5 && ratio < 2.5, `lesion ${report.totalLesionMl} mL vs core ${core} mL`);
  });

  // models/ich-ct 0.6.0 still segments ~20 mL of candidate "subdural" along the vertex of this
  // scan, but its highest lesion probability (0.935) is under the card's operating point
  // (0.968, set on the synthetic held-out site): the decision is negative and the summary says
  // how much lies below the threshold. 0.1.0–0.3.0 called it positive (docs/models.md).
  it('normal GE head CT: negative, registered with a quality score, key images readable', () => {
    const out = join(root, 'ct');
    const dicomOut = join(out, 'dicom');
    const series = sharedDataPath('dicom', 'ct-head-ge-tilt', 'dicom');
    const report = analyze([series, '--dicom-out', dicomOut], out);
    assert.equal(report.task, 'ich');
    assert.equal(report.triage.positive, false, report.summary);
    assert.match(report.summary, /^No intracranial haemorrhage detected/);
    assert.ok(report.triage.threshold !== null, 'decided at the card operating point');
    assert.ok(report.triage.score < report.triage.threshold, `${report.triage.score}`);
    const registration = report.location?.registration;
    assert.ok(registration?.ok, 'the CT registers to the CT template');
    assert.ok(registration.quality >= registration.threshold);
    const keyImages = join(dicomOut, 'key-images.dcm');
    assert.deepEqual(dciodvfy(keyImages).errors, []);
    assert.match(dcmdump(keyImages), /=SecondaryCaptureImageStorage/);
  });
});
