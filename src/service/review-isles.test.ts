/**
 * The ISLES'22 export of a reviewed infarct study: a diffusion phantom uploaded as DWI + ADC
 * NIfTI, analysed by the service (the shipped infarct model), accepted over HTTP, exported with
 * `exportDataset({ layout: 'isles22' })` and read back: DWI, ADC and mask on one grid, the ADC
 * values kept, the mask the model's labels; a label map over the upload limit refused (413).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readNifti } from '../io/nifti/read-nifti.js';
import { writeNifti } from '../io/nifti/write-nifti.js';
import { diffusionPhantom } from '../pipeline/test-fixtures.js';
import { exportDataset } from './export-dataset.js';
import { type TestService, startTestService, upload, waitFinished } from './test-fixtures.js';

const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

describe("reviewed infarct study exported in the ISLES'22 layout", () => {
  let t: TestService;
  const tmp = mkdtempSync(join(tmpdir(), 'nt-review-isles-'));
  before(async () => {
    t = await startTestService({ limits: { maxUploadBytes: MAX_UPLOAD_BYTES } });
  });
  after(async () => {
    await t.service.close();
    rmSync(t.dataDir, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  });

  it('writes rawdata dwi/adc and the derivatives mask, on one grid', async () => {
    const phantom = diffusionPhantom();
    const sent = await upload(t, [
      { name: 'dwi.nii.gz', bytes: writeNifti(phantom.dwi, { gzip: true }) },
      { name: 'adc.nii.gz', bytes: writeNifti(phantom.adc, { gzip: true }) },
    ]);
    const study = await waitFinished(t, sent.body.id);
    assert.equal(study.status, 'done', study.reason ?? '');
    assert.equal(study.result?.task, 'infarct');
    const accept = await fetch(`${t.url}/studies/${study.id}/review`, {
      method: 'POST',
      headers: { ...t.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'accept' }),
    });
    assert.equal(accept.status, 201);

    const out = join(tmp, 'isles');
    const summary = await exportDataset({ dataDir: t.dataDir, out, layout: 'isles22' });
    assert.equal(summary.cases.length, 1, JSON.stringify(summary.skipped));
    const sub = 'sub-strokecase0001';
    const dwiDir = join(out, 'rawdata', sub, 'ses-0001', 'dwi');
    assert.deepEqual(readdirSync(dwiDir).sort(), [
      `${sub}_ses-0001_adc.nii.gz`,
      `${sub}_ses-0001_dwi.nii.gz`,
    ]);
    const read = (path: string) => readNifti(readFileSync(path)).volumes[0]!;
    const dwi = read(join(dwiDir, `${sub}_ses-0001_dwi.nii.gz`));
    const adc = read(join(dwiDir, `${sub}_ses-0001_adc.nii.gz`));
    const mask = read(join(out, 'derivatives', sub, 'ses-0001', `${sub}_ses-0001_msk.nii.gz`));
    assert.deepEqual(dwi.geometry.shape, phantom.dwi.geometry.shape);
    assert.deepEqual(adc.geometry.shape, dwi.geometry.shape);
    assert.deepEqual(mask.geometry.shape, dwi.geometry.shape);
    assert.equal(Math.max(...adc.data), 800, 'ADC values as sent');
    const original = readNifti(
      readFileSync(join(t.dataDir, 'studies', study.id, 'result', 'labels.nii.gz')),
    ).volumes[0]!;
    assert.deepEqual([...mask.data], [...original.data], "the model's labels, accepted");
    assert.ok(existsSync(join(out, 'dataset_description.json')));
  });

  it('refuses an edited label map over the upload limit with 413', async () => {
    const r = await fetch(`${t.url}/studies/${crypto.randomUUID()}/labels`, {
      method: 'PUT',
      headers: { ...t.auth, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(MAX_UPLOAD_BYTES + 1),
    });
    assert.equal(r.status, 413);
  });
});
