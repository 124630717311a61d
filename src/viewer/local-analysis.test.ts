/**
 * The browser worker's analysis path (local-analysis.ts) under Node, with the Node resources:
 * dropped-file names and bytes → catalog → selection → analysis → report and NIfTI bytes. A CT
 * file is analysed as ICH, a DWI + ADC pair (chosen by name) as infarct; the label bytes read
 * back to the report's volume. (The wasm model in a real browser: service/viewer-local.test.ts.)
 */
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { nodeResources } from '../host/node-resources.js';
import { writeNiftiFile } from '../io/nifti/nifti-file.js';
import { readNifti } from '../io/nifti/read-nifti.js';
import { diffusionPhantom } from '../pipeline/test-fixtures.js';
import { smallHeadCtNifti } from '../service/test-fixtures.js';
import { analyseLocalFiles } from './local-analysis.js';

describe('analyseLocalFiles (the browser worker’s analysis)', () => {
  const resources = nodeResources({ threads: 1 });
  after(() => resources.release());

  it('analyses a CT file and returns the labels and the scan as NIfTI bytes', async () => {
    const stages = new Set<string>();
    const result = await analyseLocalFiles({
      files: [{ name: 'head/ct.nii.gz', bytes: smallHeadCtNifti() }],
      resources,
      onProgress: (p) => stages.add(p.stage),
    });
    assert.equal(result.report.task, 'ich');
    assert.deepEqual(result.report.input.paths, ['head/ct.nii.gz']);
    assert.ok(stages.has('read') && stages.has('inference') && stages.has('write'));
    assert.deepEqual(
      result.scans.map((s) => s.channel),
      ['ct'],
    );
    const labels = readNifti(result.labels).volumes[0]!;
    const [sx, sy, sz] = labels.geometry.spacingMm;
    let voxels = 0;
    for (const v of labels.data) if (v > 0) voxels++;
    assert.ok(Math.abs((voxels * sx * sy * sz) / 1000 - result.report.totalLesionMl) < 1e-6);
  });

  it('takes a DWI + ADC pair by name as an infarct study', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nt-local-'));
    try {
      const phantom = diffusionPhantom();
      const files = (['dwi', 'adc'] as const).map((name) => {
        const path = join(dir, `${name}.nii.gz`);
        writeNiftiFile(path, phantom[name]);
        return { name: `${name}.nii.gz`, bytes: new Uint8Array(readFileSync(path)) };
      });
      const result = await analyseLocalFiles({ files: files.reverse(), resources });
      assert.equal(result.report.task, 'infarct');
      assert.deepEqual(
        result.scans.map((s) => s.channel),
        ['dwi', 'adc'],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says why when no image series is found', async () => {
    await assert.rejects(
      analyseLocalFiles({
        files: [{ name: 'notes.txt', bytes: new TextEncoder().encode('hello') }],
        resources,
      }),
      /no image series found/,
    );
  });
});
