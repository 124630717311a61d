/**
 * Test fixtures for the SEG/SR/key-image writers: a small CT series with two "lesions" written
 * with writeVolumeSeries (oblique, optionally with gantry tilt), read back through the series
 * catalog as analyze reads it, with a label map on the loaded (native) grid.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DicomSourceReference } from '../../core/dicom-source.js';
import { type Geometry, indexToWorld } from '../../core/geometry.js';
import type { Mat3 } from '../../core/vec.js';
import { type Volume, createVolume } from '../../core/volume.js';
import { openCatalog } from '../series-catalog.js';
import { writeVolumeSeries } from './write-volume-series.js';

export interface SourceFixture {
  readonly dir: string;
  readonly volume: Volume;
  readonly source: DicomSourceReference;
  /** 0 background, 1 and 2 two blobs, on `volume.geometry`. */
  readonly labels: Uint8Array;
}

/** Axial rotated 12° about the patient's left–right axis; with tilt, slices also shift. */
function direction(tiltDeg: number): Mat3 {
  const a = (12 * Math.PI) / 180;
  const row = [1, 0, 0];
  const col = [0, Math.cos(a), -Math.sin(a)];
  let normal = [0, Math.sin(a), Math.cos(a)];
  if (tiltDeg !== 0) {
    const t = (tiltDeg * Math.PI) / 180;
    // Sheared stack: each slice's origin also moves along the column direction.
    normal = normal.map((n, c) => Math.cos(t) * n + Math.sin(t) * col[c]!);
  }
  return [row[0]!, col[0]!, normal[0]!, row[1]!, col[1]!, normal[1]!, row[2]!, col[2]!, normal[2]!];
}

export async function sourceFixture(options: {
  dir: string;
  tiltDeg?: number;
  key?: string;
}): Promise<SourceFixture> {
  const geometry: Geometry = {
    shape: [24, 20, 9],
    spacingMm: [0.9, 1.1, 3],
    originMm: [-10.5, -8.25, 20],
    direction: direction(options.tiltDeg ?? 0),
  };
  const [nx, ny, nz] = geometry.shape;
  const hu = new Int16Array(nx * ny * nz);
  // Brain-like values with a band of air (so that a NIfTI copy still reads as CT).
  for (let v = 0; v < hu.length; v++) hu[v] = v % nx < 6 ? -1000 : 30 + (v % 7);
  const series = writeVolumeSeries(createVolume(geometry, hu, { modality: 'CT', units: 'HU' }), {
    key: options.key ?? 'derived-fixture',
    patientId: 'NT-FIXTURE-1',
    seriesNumber: 3,
    seriesDescription: 'Head 3mm',
    modality: 'CT',
    gantryTiltDeg: options.tiltDeg ?? 0,
  });
  mkdirSync(options.dir, { recursive: true });
  series.forEach((bytes, k) => writeFileSync(join(options.dir, `ct-${k}.dcm`), bytes));

  const entry = openCatalog(options.dir).entries[0];
  if (!entry) throw new Error('fixture series not found');
  const loaded = await entry.load();
  const volume = loaded.volumes[0]!;
  if (!loaded.source) throw new Error('fixture series has no source reference');
  const g = volume.geometry;
  const labels = new Uint8Array(g.shape[0] * g.shape[1] * g.shape[2]);
  const centres = [indexToWorld(g, [7, 6, 3]), indexToWorld(g, [15, 13, 5])];
  let v = 0;
  for (let k = 0; k < g.shape[2]; k++)
    for (let j = 0; j < g.shape[1]; j++)
      for (let i = 0; i < g.shape[0]; i++, v++) {
        const p = indexToWorld(g, [i, j, k]);
        centres.forEach((c, n) => {
          if (Math.hypot(p[0] - c[0], p[1] - c[1], p[2] - c[2]) <= 4.2 + n) labels[v] = n + 1;
        });
      }
  return { dir: options.dir, volume, source: loaded.source, labels };
}
