/**
 * DICOM SEG writer: the segmentation read back (our parser, frames unpacked and put back on the
 * grid by their plane positions) is the label map voxel for voxel, on an ordinary oblique stack
 * (frames reference their source slices) and on a tilted stack resampled by the loader (frames
 * carry only positions); dcmdump reads it; dciodvfy reports no error.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Geometry } from '../../core/geometry.js';
import { dciodvfy, dcmdump } from '../../testing/dicom-tools.js';
import { lesionCodes } from './lesion-codes.js';
import { type SourceFixture, sourceFixture } from './derived-test-fixtures.js';
import { readSegmentation, segmentationOnGrid } from './read-seg.js';
import { randomUid } from './uid.js';
import {
  type SegmentDefinition,
  type WrittenSegmentation,
  writeSegmentation,
} from './write-seg.js';

const root = mkdtempSync(join(tmpdir(), 'nt-seg-'));
after(() => rmSync(root, { recursive: true, force: true }));

const SEGMENTS: SegmentDefinition[] = ['subarachnoid', 'subdural', 'intraventricular'].map(
  (name, n) => {
    const codes = lesionCodes('ich', name);
    return {
      labelValue: n + 1,
      label: name,
      description: codes.description,
      category: codes.category,
      type: codes.type,
      anatomicRegion: codes.anatomicRegion,
      colourRgb: [230, 40 * n, 40],
    };
  },
);

function writeSeg(fixture: SourceFixture, path: string): WrittenSegmentation {
  const written = writeSegmentation({
    labels: fixture.labels,
    geometry: fixture.volume.geometry,
    segments: SEGMENTS,
    sources: [fixture.source],
    algorithm: { name: 'ich-ct', version: '1.0.0' },
    device: {
      manufacturer: 'NeuroTriage',
      modelName: 'ich-ct',
      serialNumber: '0123456789abcdef',
      softwareVersions: ['0.1.0', '1.0.0'],
    },
    instance: {
      sopInstanceUid: randomUid(),
      seriesInstanceUid: randomUid(),
      seriesNumber: 901,
      seriesDescription: 'NeuroTriage haemorrhage SEG (research use only)',
      createdAt: new Date(2026, 0, 2, 3, 4, 5),
    },
    dimensionOrganizationUid: randomUid(),
    fallbackFrameOfReferenceUid: randomUid(),
    contentLabel: 'HAEMORRHAGE',
    contentDescription: 'Haemorrhage - research use only, not a medical device',
    imageComments: 'Research use only; not a medical device.',
  });
  writeFileSync(path, written.bytes);
  return written;
}

function assertOverlays(fixture: SourceFixture, bytes: Uint8Array): void {
  const seg = readSegmentation(bytes);
  const back = segmentationOnGrid(seg, fixture.volume.geometry);
  let mismatches = 0;
  let lesion = 0;
  for (let v = 0; v < back.length; v++) {
    // Segment n holds label value n here.
    if (back[v] !== fixture.labels[v]) mismatches++;
    if (fixture.labels[v]) lesion++;
  }
  assert.ok(lesion > 50, `the fixture has lesions (${lesion} voxels)`);
  assert.equal(mismatches, 0, 'SEG frames put back on the grid equal the label map');
}

function assertValid(path: string): void {
  const report = dciodvfy(path);
  assert.deepEqual(report.errors, [], report.output);
}

describe('DICOM SEG', () => {
  let plain: SourceFixture;
  let tilted: SourceFixture;
  before(async () => {
    plain = await sourceFixture({ dir: join(root, 'plain') });
    tilted = await sourceFixture({ dir: join(root, 'tilted'), tiltDeg: 15, key: 'tilted' });
  });

  it('on an ordinary stack: overlays the label map exactly; each frame references its slice', () => {
    const path = join(root, 'plain-seg.dcm');
    const written = writeSeg(plain, path);
    assert.equal(written.perFrameDerivation, true);
    assertOverlays(plain, written.bytes);
    const seg = readSegmentation(written.bytes);
    assert.deepEqual(
      seg.segments.map((s) => [s.number, s.label, s.algorithmType, s.type?.value]),
      [
        [1, 'subarachnoid', 'AUTOMATIC', '50960005'],
        [2, 'subdural', 'AUTOMATIC', '50960005'],
        [3, 'intraventricular', 'AUTOMATIC', '50960005'],
      ],
    );
    // Segment 3 is empty: it still has one (empty) frame.
    const empty = seg.frames.map((f, n) => ({ f, n })).filter(({ f }) => f.segmentNumber === 3);
    assert.equal(empty.length, 1);
    assert.ok(!seg.frameBits(empty[0]!.n).some((b) => b === 1));
    // Frame → the source image at its position.
    const g = plain.volume.geometry;
    for (const frame of seg.frames) {
      assert.equal(frame.sources.length, 1);
      const image = plain.source.images.find(
        (im) => im.sopInstanceUid === frame.sources[0]!.sopInstanceUid,
      );
      assert.ok(image?.positionMm, 'references a source image');
      const d = image.positionMm.map((x, c) => x - frame.positionMm[c]!);
      assert.ok(Math.hypot(...d) < 0.05 * g.spacingMm[0], 'at the frame position');
    }
    assertValid(path);
  });

  it('on a tilted stack resampled by the loader: overlays the grid, no per-frame references', () => {
    const path = join(root, 'tilted-seg.dcm');
    const written = writeSeg(tilted, path);
    assert.equal(written.perFrameDerivation, false);
    assertOverlays(tilted, written.bytes);
    const seg = readSegmentation(written.bytes);
    assert.ok(seg.frames.every((f) => f.sources.length === 0));
    assertValid(path);
  });

  it('packs frames across byte boundaries (23 × 21 = 483 bits a frame)', () => {
    const geometry: Geometry = {
      shape: [23, 21, 5],
      spacingMm: [1, 1, 2],
      originMm: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    };
    const labels = new Uint8Array(23 * 21 * 5);
    let seed = 7;
    for (let v = 0; v < labels.length; v++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      labels[v] = (seed >>> 16) % 4;
    }
    const source = { ...plain.source, grid: undefined, images: plain.source.images.slice(0, 1) };
    const written = writeSegmentation({
      labels,
      geometry,
      segments: SEGMENTS,
      sources: [source],
      algorithm: { name: 'x', version: '1' },
      device: {
        manufacturer: 'NeuroTriage',
        modelName: 'x',
        serialNumber: '1',
        softwareVersions: ['1'],
      },
      instance: {
        sopInstanceUid: randomUid(),
        seriesInstanceUid: randomUid(),
        seriesNumber: 901,
        seriesDescription: 'SEG',
        createdAt: new Date(),
      },
      dimensionOrganizationUid: randomUid(),
      fallbackFrameOfReferenceUid: randomUid(),
    });
    assert.equal(written.frames.length, 15, 'every slice holds every segment');
    const back = segmentationOnGrid(readSegmentation(written.bytes), geometry);
    assert.deepEqual([...back], [...labels]);
    const path = join(root, 'odd-seg.dcm');
    writeFileSync(path, written.bytes);
    assertValid(path);
  });

  it('reads back with dcmdump: study, frame of reference, patient, segments, source series', () => {
    const path = join(root, 'plain-seg.dcm');
    writeSeg(plain, path);
    const dump = dcmdump(path);
    const s = plain.source;
    assert.match(dump, /\(0008,0016\) UI =SegmentationStorage/);
    assert.match(dump, new RegExp(`\\(0020,000d\\) UI \\[${s.studyInstanceUid}\\]`));
    assert.match(dump, new RegExp(`\\(0020,0052\\) UI \\[${s.frameOfReferenceUid}\\]`));
    assert.match(dump, /\(0010,0020\) LO \[NT-FIXTURE-1\]/);
    assert.match(dump, /\(0062,0001\) CS \[BINARY\]/);
    assert.match(dump, /\(0062,0008\) CS \[AUTOMATIC\]/);
    assert.match(dump, /\(0008,0104\) LO \[Hemorrhage\]/);
    assert.match(dump, new RegExp(`\\(0020,000e\\) UI \\[${s.seriesInstanceUid}\\]`));
    for (const im of s.images) assert.ok(dump.includes(im.sopInstanceUid), im.sopInstanceUid);
  });
});
