/**
 * `analyze DWI B0 --b-value N`: a DWI and its b0 as two NIfTI files without sidecars are paired
 * (the ADC of such a pair is checked against its truth in select-inputs-sidecars.test.ts), and
 * misuse is refused in one line with exit code 2.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createVolume } from '../core/volume.js';
import { writeNiftiFile } from '../io/nifti/nifti-file.js';
import { diffusionPhantom } from '../pipeline/test-fixtures.js';
import { ReportSchema } from '../report/report-schema.js';
import { runCli } from '../testing/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'nt-bvalue-'));
after(() => rmSync(root, { recursive: true, force: true }));

const phantom = diffusionPhantom();
const g = phantom.adc.geometry;
const s0 = Float32Array.from(phantom.adc.data, (adc) => (adc > 0 ? 1000 : 0));
const dwi = Float32Array.from(phantom.adc.data, (adc, v) => s0[v]! * Math.exp(-1000 * adc * 1e-6));
writeNiftiFile(join(root, 'dwi.nii.gz'), createVolume(g, dwi, { modality: 'MR' }));
writeNiftiFile(join(root, 'b0.nii.gz'), createVolume(g, s0, { modality: 'MR' }));
writeNiftiFile(
  join(root, 'dti.nii.gz'),
  [s0, dwi].map((d) => createVolume(g, d, { modality: 'MR' })),
);

/** `analyze <files in root…> --b-value 1000 --out root/<out>`. */
const analyzeWithBValue = (files: readonly string[], out: string) =>
  runCli([
    'analyze',
    ...files.map((f) => join(root, f)),
    '--b-value',
    '1000',
    '--out',
    join(root, out),
  ]);

describe('analyze DWI B0 --b-value', () => {
  it('pairs the two files: trace and ADC computed, the model run on them', () => {
    const out = join(root, 'out');
    const r = analyzeWithBValue(['dwi.nii.gz', 'b0.nii.gz'], 'out');
    assert.equal(r.status, 0, r.stderr);
    const report = ReportSchema.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
    assert.equal(report.task, 'infarct');
    assert.match(report.input.series, /b0 .*b0\.nii\.gz.* \+ DWI .*dwi\.nii\.gz.*trace b1000/);
    assert.equal(report.input.ids.length, 2);
    assert.match(report.model.name, /infarct/);
  });

  for (const [what, args, message] of [
    ['one file', ['dwi.nii.gz'], /--b-value takes two NIfTI files/],
    ['a 4-D file', ['dti.nii.gz', 'b0.nii.gz'], /dti\.nii\.gz has 2 volumes/],
    ['the same file twice', ['dwi.nii.gz', 'dwi.nii.gz'], /two different files/],
  ] as const)
    it(`refuses ${what} in one line`, () => {
      const r = analyzeWithBValue(args, 'x');
      assert.equal(r.status, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    });

  it('refuses --b-value for a file that has its .bval', () => {
    writeFileSync(join(root, 'b0.bval'), '0\n');
    const r = analyzeWithBValue(['dwi.nii.gz', 'b0.nii.gz'], 'y');
    rmSync(join(root, 'b0.bval'));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /b0\.nii\.gz has a \.bval sidecar/);
  });
});
