/**
 * The DICOM identity of a loaded series (DicomSourceReference) is captured from the files as
 * stored, carried by the series catalog and exposed by selectInputs; NIfTI input has none.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { indexToWorld } from '../../core/geometry.js';
import { selectInputs } from '../../pipeline/select-inputs.js';
import { openCatalog } from '../series-catalog.js';
import { writeNiftiFile } from '../nifti/nifti-file.js';
import { sharedDataPath } from '../../testing/shared-data.js';
import { type SourceFixture, sourceFixture } from './derived-test-fixtures.js';
import { dicomParser } from './parse-dicom.js';

const root = mkdtempSync(join(tmpdir(), 'nt-source-ref-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('DICOM source reference', () => {
  let fixture: SourceFixture;
  before(async () => {
    fixture = await sourceFixture({ dir: join(root, 'ct') });
  });

  it('holds the UIDs, patient and study as stored, and every image with its position', () => {
    const files = readdirSync(fixture.dir).map((name) =>
      dicomParser.parseDicom(new Uint8Array(readFileSync(join(fixture.dir, name)))),
    );
    const first = files[0]!;
    const s = fixture.source;
    assert.equal(s.studyInstanceUid, first.string('x0020000d'));
    assert.equal(s.seriesInstanceUid, first.string('x0020000e'));
    assert.equal(s.frameOfReferenceUid, first.string('x00200052'));
    assert.equal(s.modality, 'CT');
    assert.equal(s.seriesNumber, 3);
    assert.deepEqual(s.patient, { name: 'SYNTHETIC^CASE', id: 'NT-FIXTURE-1' });
    assert.equal(s.study.date, '20260101');
    assert.equal(s.images.length, files.length);
    const byUid = new Map(files.map((ds) => [ds.string('x00080018'), ds]));
    for (const im of s.images) {
      const ds = byUid.get(im.sopInstanceUid);
      assert.ok(ds, 'a real SOP instance');
      assert.equal(im.sopClassUid, '1.2.840.10008.5.1.4.1.1.2');
      assert.equal(im.frameNumber, undefined, 'single-frame images have no frame number');
      const ipp = (ds.string('x00200032') ?? '').split('\\').map(Number);
      assert.deepEqual(im.positionMm, ipp);
    }
    // The loaded grid starts at the first image along the normal.
    const origin = indexToWorld(fixture.volume.geometry, [0, 0, 0]);
    assert.ok(
      s.images.some((im) => Math.hypot(...im.positionMm!.map((x, c) => x - origin[c]!)) < 1e-3),
    );
  });

  it('numbers the frames of an enhanced multi-frame file', async () => {
    const entry = openCatalog(sharedDataPath('dicom/multiframe-siemens/enhanced-6-frames.dcm'))
      .entries[0]!;
    const source = (await entry.load()).source!;
    assert.equal(new Set(source.images.map((i) => i.sopInstanceUid)).size, 1);
    assert.deepEqual(
      source.images.map((i) => i.frameNumber).sort((a, b) => a! - b!),
      [1, 2, 3, 4, 5, 6],
    );
  });

  it('is exposed by selectInputs for DICOM, absent for NIfTI', async () => {
    const dicom = await selectInputs({ entries: openCatalog(fixture.dir).entries, task: 'ich' });
    assert.equal(dicom.sources?.length, 1);
    assert.equal(dicom.sources![0]!.seriesInstanceUid, fixture.source.seriesInstanceUid);
    const nifti = join(root, 'ct.nii.gz');
    writeNiftiFile(nifti, fixture.volume);
    const fromNifti = await selectInputs({ entries: openCatalog(nifti).entries, task: 'ich' });
    assert.equal(fromNifti.sources, undefined);
  });
});
