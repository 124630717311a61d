/**
 * `neurotriage analyze --dicom-out` end to end: a small head CT written as a DICOM series, a
 * tiny ONNX model (lesion where the brain-window-normalised CT is > 0, i.e. above 40 HU) with
 * its card; the SEG, SR and key images are written, pass dciodvfy, sit in the source's study,
 * and the SEG overlays labels.nii.gz exactly. NIfTI input is refused with one line.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Geometry, indexToWorld } from '../core/geometry.js';
import { createVolume } from '../core/volume.js';
import { dicomParser } from '../io/dicom/parse-dicom.js';
import { readSegmentation, segmentationOnGrid } from '../io/dicom/read-seg.js';
import { writeVolumeSeries } from '../io/dicom/write-volume-series.js';
import { readNiftiFile } from '../io/nifti/nifti-file.js';
import { tinySegmentationOnnx } from '../models/onnx-test-fixtures.js';
import { dciodvfy, dcmdump } from '../testing/dicom-tools.js';
import { runCli } from '../testing/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'nt-analyze-dicom-'));
after(() => rmSync(root, { recursive: true, force: true }));
const dicomDir = join(root, 'ct');
const modelDir = join(root, 'model');
const out = join(root, 'out');
const dicomOut = join(out, 'dicom');

/** Head sphere (30 HU) in air with a 70 HU blob, 2 mm × 2 mm × 4 mm axial slices. */
function writeCtSeries(): void {
  const g: Geometry = {
    shape: [48, 44, 14],
    spacingMm: [2, 2, 4],
    originMm: [-47, -43, -26],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  };
  const hu = new Int16Array(g.shape[0] * g.shape[1] * g.shape[2]);
  let v = 0;
  for (let k = 0; k < g.shape[2]; k++)
    for (let j = 0; j < g.shape[1]; j++)
      for (let i = 0; i < g.shape[0]; i++, v++) {
        const [x, y, z] = indexToWorld(g, [i, j, k]);
        const r = Math.hypot(x, y, z * 0.8);
        hu[v] = r > 40 ? -1000 : Math.hypot(x - 12, y + 6, z - 4) < 9 ? 70 : 30;
      }
  const files = writeVolumeSeries(createVolume(g, hu, { modality: 'CT', units: 'HU' }), {
    key: 'analyze-dicom-e2e',
    patientId: 'NT-E2E',
    seriesNumber: 2,
    seriesDescription: 'Head non-contrast',
    modality: 'CT',
  });
  mkdirSync(dicomDir, { recursive: true });
  files.forEach((bytes, k) => writeFileSync(join(dicomDir, `slice-${k}.dcm`), bytes));
}

function writeModel(): void {
  const onnx = tinySegmentationOnnx();
  mkdirSync(modelDir, { recursive: true });
  writeFileSync(join(modelDir, 'model.onnx'), onnx);
  const card = {
    cardVersion: 1,
    name: 'ich-ct-test',
    version: '0.0.1',
    task: 'ich',
    file: 'model.onnx',
    sha256: createHash('sha256').update(onnx).digest('hex'),
    bytes: onnx.length,
    format: { type: 'onnx', opset: 13, input: 'image', output: 'logits' },
    inputs: {
      channels: ['ct'],
      spacingMm: [2, 2, 2],
      normalisation: 'ct-brain-window',
      shape: ['1', 'C', 'Z', 'Y', 'X'],
      divisibleBy: 16,
    },
    outputs: { logits: ['1', 'K+1', 'Z', 'Y', 'X'], activation: 'softmax over axis 1', classes: 2 },
    labels: { '1': 'intraparenchymal' },
    training: {
      data: { cases: { train: 0, val: 0, test: 0 }, sites: [], trainSites: [] },
      steps: 0,
      seed: 1,
      commands: [],
    },
    export: { command: 'test fixture' },
    intendedUse: 'Research use only; not a medical device.',
    operatingPoint: null,
    evaluation: null,
  };
  writeFileSync(join(modelDir, 'card.json'), JSON.stringify(card, null, 2));
}

function studyUidOf(path: string): string {
  const ds = dicomParser.parseDicom(new Uint8Array(readFileSync(path)));
  return ds.string('x0020000d') ?? '';
}

describe('neurotriage analyze --dicom-out', () => {
  let report: {
    files: Record<string, string>;
    lesionCount: number;
    triage: { positive: boolean; state: 'positive' | 'negative' | 'not assessable' };
  };
  before(() => {
    writeCtSeries();
    writeModel();
    const r = runCli([
      'analyze',
      dicomDir,
      '--model',
      modelDir,
      '--out',
      out,
      '--dicom-out',
      dicomOut,
    ]);
    assert.equal(r.status, 0, r.stderr);
    report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as typeof report;
  });

  it('writes SEG, SR and key images, listed in report.json, each passing dciodvfy', () => {
    assert.ok(report.lesionCount >= 1, 'the blob is found');
    for (const key of ['dicomSeg', 'dicomSr', 'dicomKeyImages']) {
      const path = report.files[key];
      assert.ok(path && existsSync(path), `${key} written`);
      const check = dciodvfy(path);
      assert.deepEqual(check.errors, [], `${key}:\n${check.output}`);
    }
  });

  it('files them into the source study, with the source patient', () => {
    const sourceStudy = studyUidOf(join(dicomDir, 'slice-0.dcm'));
    for (const key of ['dicomSeg', 'dicomSr', 'dicomKeyImages']) {
      assert.equal(studyUidOf(report.files[key]!), sourceStudy, key);
      assert.match(dcmdump(report.files[key]!), /\(0010,0020\) LO \[NT-E2E\]/);
    }
  });

  it('the SEG overlays labels.nii.gz voxel for voxel', () => {
    const labels = readNiftiFile(join(out, 'labels.nii.gz')).volumes[0]!;
    const seg = readSegmentation(new Uint8Array(readFileSync(report.files.dicomSeg!)));
    const back = segmentationOnGrid(seg, labels.geometry);
    let mismatches = 0;
    for (let v = 0; v < back.length; v++) if (back[v] !== labels.data[v]) mismatches++;
    assert.equal(mismatches, 0);
  });

  it('the SR reports the result, the model and the notice', () => {
    const dump = dcmdump(report.files.dicomSr!);
    assert.match(dump, /Imaging Measurement Report/);
    assert.match(dump, /\[ich-ct-test\]/);
    assert.match(dump, /research use only; it is not a medical device/);
    const coded = {
      positive: 'Positive',
      negative: 'Negative',
      'not assessable': 'Not assessable',
    };
    assert.ok(dump.includes(`[${coded[report.triage.state]}]`), report.triage.state);
    if (report.triage.state === 'not assessable') assert.doesNotMatch(dump, /\[Negative\]/);
  });

  it('refuses --dicom-out for NIfTI input, in one line, before running the model', () => {
    const nifti = join(root, 'ct.nii.gz');
    const convert = runCli(['convert', dicomDir, '--out', nifti]);
    assert.equal(convert.status, 0, convert.stderr);
    const r = runCli([
      'analyze', nifti, '--model', modelDir, '--out', join(root, 'n'), '--dicom-out', join(root, 'nd'),
    ]); // prettier-ignore
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^neurotriage: --dicom-out needs DICOM input .* is not DICOM\n$/);
    assert.ok(!existsSync(join(root, 'nd')));
  });
});
