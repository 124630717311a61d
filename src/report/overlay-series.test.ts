/**
 * Overlay series: a small CT stored with its columns running towards the patient's RIGHT (so a
 * radiological display must flip it) and a block lesion in the patient's right hemisphere. The
 * written instance is dciodvfy clean and references the source; dcmtk's dcmj2pnm renders the
 * lesion's frame to a PNG in which the outline is in the label colour, the inside is the scan's
 * grey, the lesion lies on the image's LEFT, and the "R" marker is drawn on the left edge.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DicomSourceReference } from '../core/dicom-source.js';
import { type Geometry, indexToWorld } from '../core/geometry.js';
import { type Volume, createVolume } from '../core/volume.js';
import { items, str } from '../io/dicom/dataset-values.js';
import { parseDicom } from '../io/dicom/parse-dicom.js';
import { writeVolumeSeries } from '../io/dicom/write-volume-series.js';
import { decodePng } from '../io/png-decode.js';
import { openCatalog } from '../io/series-catalog.js';
import { labelColour } from '../render/overlay-frame.js';
import { dciodvfy } from '../testing/dicom-tools.js';
import { OVERLAY_SERIES_DESCRIPTION, overlaySeries } from './overlay-series.js';

const root = mkdtempSync(join(tmpdir(), 'nt-overlay-'));
after(() => rmSync(root, { recursive: true, force: true }));

const BRAIN_HU = 30;
const LESION_SLICE = 2;
const device = {
  manufacturer: 'NeuroTriage',
  modelName: 'ich-ct',
  serialNumber: 'ab12ab12ab12ab12',
  softwareVersions: ['0.1.0', '1.2.0'],
};

/** Columns run to patient right (−x, LPS), rows to posterior, slices to inferior. */
async function flippedCt(): Promise<{ volume: Volume; source: DicomSourceReference }> {
  const geometry: Geometry = {
    shape: [32, 28, 5],
    spacingMm: [1, 1, 3],
    originMm: [15.5, -13.5, 6],
    direction: [-1, 0, 0, 0, 1, 0, 0, 0, -1],
  };
  const hu = new Int16Array(32 * 28 * 5).fill(BRAIN_HU);
  const dir = join(root, 'ct');
  mkdirSync(dir);
  writeVolumeSeries(createVolume(geometry, hu, { modality: 'CT', units: 'HU' }), {
    key: 'overlay-fixture',
    patientId: 'NT-OVERLAY-1',
    seriesNumber: 3,
    seriesDescription: 'Head 3mm',
    modality: 'CT',
  }).forEach((bytes, k) => writeFileSync(join(dir, `ct-${k}.dcm`), bytes));
  const loaded = await openCatalog(dir).entries[0]!.load();
  if (!loaded.source) throw new Error('no source reference');
  return { volume: loaded.volumes[0]!, source: loaded.source };
}

/** A block in the patient's right hemisphere (x −12…−4 mm, y −3…4 mm) on one slice. */
function rightLesion(volume: Volume): Uint8Array {
  const g = volume.geometry;
  const [nx, ny] = g.shape;
  const labels = new Uint8Array(volume.data.length);
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const [x, y] = indexToWorld(g, [i, j, LESION_SLICE]);
      if (x >= -12 && x <= -4 && y >= -3 && y <= 4) labels[i + nx * (j + ny * LESION_SLICE)] = 1;
    }
  return labels;
}

describe('overlay series (Multi-frame True Color SC)', () => {
  let ct: { volume: Volume; source: DicomSourceReference };
  let labels: Uint8Array;
  let bytes: Uint8Array;
  let slices: readonly number[];
  let scale: number;
  const path = join(root, 'overlay-series.dcm');
  before(async () => {
    ct = await flippedCt();
    labels = rightLesion(ct.volume);
    const written = overlaySeries({
      image: ct.volume,
      labels,
      labelNames: { 0: 'background', 1: 'intraparenchymal' },
      sources: [ct.source],
      device,
      seriesNumber: 9005,
      comments: 'Research use only.',
    });
    bytes = written.bytes;
    slices = written.slices;
    scale = written.scale;
    writeFileSync(path, bytes);
  });

  it('dciodvfy finds no errors', () => {
    const r = dciodvfy(path);
    assert.deepEqual(r.errors, [], r.output);
  });

  it('is a new series in the source study that references the source series and slices', () => {
    const ds = parseDicom(bytes);
    assert.equal(str(ds, 'x00080016'), '1.2.840.10008.5.1.4.1.1.7.4');
    assert.equal(str(ds, 'x0020000d'), ct.source.studyInstanceUid);
    assert.notEqual(str(ds, 'x0020000e'), ct.source.seriesInstanceUid);
    assert.equal(str(ds, 'x0008103e'), OVERLAY_SERIES_DESCRIPTION);
    assert.equal(str(ds, 'x00280301'), 'YES');
    assert.equal(str(ds, 'x00280008'), String(ct.volume.geometry.shape[2]));
    assert.deepEqual(slices, [0, 1, 2, 3, 4]);
    const series = items(ds, 'x00081115');
    assert.deepEqual(
      series.map((s) => str(s, 'x0020000e')),
      [ct.source.seriesInstanceUid],
    );
    const shown = items(ds, 'x00082112').map((i) => str(i, 'x00081155'));
    assert.equal(shown.length, 5, 'one source image per frame');
    const sourceUids = new Set(ct.source.images.map((i) => i.sopInstanceUid));
    for (const uid of shown) assert.ok(uid && sourceUids.has(uid));
  });

  it('dcmj2pnm shows the outline, the grey inside, the lesion on the image left and R/L', () => {
    // The stored columns run to patient right: the display must be flipped.
    assert.ok(ct.volume.geometry.direction[0] < 0, 'fixture is stored right-to-left');
    const png = join(root, 'lesion.png');
    const frame = String(slices.indexOf(LESION_SLICE) + 1);
    const r = spawnSync('dcmj2pnm', ['--write-png', '--nointerlace', '--frame', frame, path, png], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `dcmj2pnm (Debian dcmtk) failed: ${r.stderr}${r.error ?? ''}`);
    const { width, height, rgba } = decodePng(readFileSync(png));
    const rgb = (x: number, y: number) => [
      ...rgba.subarray(4 * (y * width + x), 4 * (y * width + x) + 3),
    ];
    const red = [...labelColour(1)];
    const hits: [number, number][] = [];
    // The scan part of the frame (the legend under it is in the label colour too).
    const scanHeight = ct.volume.geometry.shape[1] * scale;
    assert.ok(height > scanHeight, 'a legend and notice band under the scan');
    for (let y = 0; y < scanHeight; y++)
      for (let x = 0; x < width; x++)
        if (rgb(x, y).every((c, n) => c === red[n])) hits.push([x, y]);
    assert.ok(hits.length > 0, 'the outline is drawn in the label colour');
    const xs = hits.map((h) => h[0]);
    const ys = hits.map((h) => h[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    assert.ok(x1 < width / 2, `a right-hemisphere lesion is on the image left (x ${x0}–${x1})`);
    // Boundary: the middle of the outline's left edge; inside: the box centre, the scan's grey.
    assert.deepEqual(rgb(x0, Math.round((y0 + y1) / 2)), red);
    const grey = Math.floor((BRAIN_HU / 80) * 255);
    const centre = rgb(Math.round((x0 + x1) / 2), Math.round((y0 + y1) / 2));
    assert.ok(
      centre.every((c) => Math.abs(c - grey) <= 1),
      `inside is grey ${grey}: ${centre}`,
    );
    // No outline anywhere else on this frame (only one lesion, on the left half).
    assert.ok(hits.every(([x]) => x >= x0 && x <= x1));
    // The "R" marker: yellow pixels at the left edge, mid-height of the scan.
    const band = Array.from({ length: 12 }, (_, dx) => dx + 2);
    const yellowLeft = band.some((x) =>
      Array.from({ length: height }, (_, y) => y).some((y) => {
        const [cr, cg, cb] = rgb(x, y);
        return cr === 255 && cg === 255 && cb === 0;
      }),
    );
    assert.ok(yellowLeft, 'the R marker is drawn on the left edge');
  });

  it('findingsOnly keeps only the slices with labels', () => {
    const written = overlaySeries({
      image: ct.volume,
      labels,
      labelNames: { 1: 'intraparenchymal' },
      sources: [ct.source],
      device,
      seriesNumber: 9005,
      findingsOnly: true,
      comments: 'Research use only.',
    });
    assert.deepEqual(written.slices, [LESION_SLICE]);
    const one = join(root, 'findings-only.dcm');
    writeFileSync(one, written.bytes);
    const r = dciodvfy(one);
    assert.deepEqual(r.errors, [], r.output);
    assert.equal(str(parseDicom(written.bytes), 'x00280008'), '1');
  });
});
