/**
 * DICOM SEG on real series from the shared data, loaded as analyze loads them: the gantry-
 * tilted GE head CT (resampled grid: no per-frame references), a Philips 4-D DWI (17 images per
 * position: each frame names all of them), a Siemens enhanced multi-frame MR (references carry
 * frame numbers) and a UIH DWI whose anonymised dates ("***") must not be copied. Each SEG
 * overlays its label map exactly and passes dciodvfy.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openCatalog } from '../series-catalog.js';
import { dciodvfy } from '../../testing/dicom-tools.js';
import { sharedDataPath } from '../../testing/shared-data.js';
import { lesionCodes } from './lesion-codes.js';
import { readSegmentation, segmentationOnGrid } from './read-seg.js';
import { randomUid } from './uid.js';
import { writeSegmentation } from './write-seg.js';

const root = mkdtempSync(join(tmpdir(), 'nt-seg-real-'));
after(() => rmSync(root, { recursive: true, force: true }));

async function segOf(path: string, name: string) {
  const catalog = openCatalog(path);
  const entry = [...catalog.entries].sort((a, b) => b.summary.images - a.summary.images)[0]!;
  const loaded = await entry.load();
  const volume = loaded.volumes[0]!;
  const source = loaded.source;
  assert.ok(source, 'the series has a source reference');
  const [nx, ny, nz] = volume.geometry.shape;
  const labels = new Uint8Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++)
        if (Math.hypot(i - nx / 2, j - ny / 2, (k - nz / 2) * 3) < Math.min(nx, ny) / 6)
          labels[i + nx * (j + ny * k)] = 1;
  const codes = lesionCodes('infarct', 'infarct');
  const written = writeSegmentation({
    labels,
    geometry: volume.geometry,
    segments: [{ labelValue: 1, label: 'infarct', ...codes }],
    sources: [source],
    algorithm: { name: 'test', version: '1' },
    device: {
      manufacturer: 'NeuroTriage',
      modelName: 'test',
      serialNumber: '1',
      softwareVersions: ['1'],
    },
    instance: {
      sopInstanceUid: randomUid(),
      seriesInstanceUid: randomUid(),
      seriesNumber: 9001,
      seriesDescription: 'SEG',
      createdAt: new Date(),
    },
    dimensionOrganizationUid: randomUid(),
    fallbackFrameOfReferenceUid: randomUid(),
  });
  const file = join(root, `${name}.dcm`);
  writeFileSync(file, written.bytes);
  const seg = readSegmentation(written.bytes);
  const back = segmentationOnGrid(seg, volume.geometry);
  let mismatches = 0;
  for (let v = 0; v < back.length; v++) if (back[v] !== labels[v]) mismatches++;
  assert.equal(mismatches, 0, 'SEG overlays the label map');
  const check = dciodvfy(file);
  assert.deepEqual(check.errors, [], check.output);
  return { written, seg, source };
}

describe('DICOM SEG on real series', () => {
  it('tilted GE head CT: resampled grid, frames carry positions only', async () => {
    const { written, seg } = await segOf(sharedDataPath('dicom/ct-head-ge-tilt/dicom'), 'tilt');
    assert.equal(written.perFrameDerivation, false);
    assert.ok(seg.frames.every((f) => f.sources.length === 0));
  });

  it('Philips 4-D DWI: each frame references every image at its position', async () => {
    const { written, seg } = await segOf(sharedDataPath('dicom/dwi-philips/dicom'), 'philips');
    assert.equal(written.perFrameDerivation, true);
    assert.ok(
      seg.frames.every((f) => f.sources.length === 17),
      'b-values × directions',
    );
  });

  it('Siemens enhanced multi-frame: references name the frame', async () => {
    const { seg } = await segOf(
      sharedDataPath('dicom/multiframe-siemens/enhanced-6-frames.dcm'),
      'enhanced',
    );
    for (const f of seg.frames) {
      assert.equal(f.sources.length, 1);
      assert.ok(f.sources[0]!.frameNumber! >= 1 && f.sources[0]!.frameNumber! <= 6);
    }
  });

  it('UIH DWI: invalid source dates are left empty, not copied', async () => {
    const { seg, source } = await segOf(sharedDataPath('dicom/dwi-uih/dicom'), 'uih');
    assert.equal(source.study.date, '***');
    assert.equal(seg.dataSet.string('x00080020') ?? '', '');
  });
});
