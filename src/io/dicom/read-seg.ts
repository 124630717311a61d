/**
 * Reads a BINARY DICOM Segmentation (ours or anyone's, uncompressed) back: its segments, each
 * frame's segment, plane position and source references, the unpacked frame bits, and the
 * segments put back on a grid through each frame's Plane Position and the shared orientation.
 */
import type { DataSet } from 'dicom-parser';
import { GeometryError } from '../../core/errors.js';
import { type Geometry, indexToWorld } from '../../core/geometry.js';
import { type Vec3, column, dot, sub } from '../../core/vec.js';
import type { CodedConcept } from './coded-concepts.js';
import { bytesOf, firstItem, items, numbers, str, us, vec3 } from './dataset-values.js';
import { parseDicom } from './parse-dicom.js';

export interface ReadSegment {
  readonly number: number;
  readonly label: string;
  readonly algorithmType?: string;
  readonly category?: CodedConcept;
  readonly type?: CodedConcept;
  readonly anatomicRegion?: CodedConcept;
}

export interface ReadSegFrame {
  readonly segmentNumber: number;
  readonly positionMm: Vec3;
  /** Source images named by the frame's own Derivation Image Sequence. */
  readonly sources: readonly { sopInstanceUid: string; frameNumber?: number }[];
}

export interface ReadSegmentation {
  readonly dataSet: DataSet;
  readonly rows: number;
  readonly columns: number;
  readonly rowDirection: Vec3;
  readonly columnDirection: Vec3;
  /** Spacing along i (between columns) and j (between rows), mm. */
  readonly pixelSpacingMm: readonly [number, number];
  readonly segments: readonly ReadSegment[];
  readonly frames: readonly ReadSegFrame[];
  /** Frame n's pixels, 0 or 1, row by row. */
  readonly frameBits: (n: number) => Uint8Array;
}

function coded(ds: DataSet | undefined): CodedConcept | undefined {
  if (!ds) return undefined;
  const value = str(ds, 'x00080100');
  const scheme = str(ds, 'x00080102');
  const meaning = str(ds, 'x00080104');
  return value && scheme && meaning ? { value, scheme, meaning } : undefined;
}

export function readSegmentation(bytes: Uint8Array): ReadSegmentation {
  const ds = parseDicom(bytes);
  if (str(ds, 'x00080016') !== '1.2.840.10008.5.1.4.1.1.66.4')
    throw new GeometryError('not a DICOM Segmentation (SOP Class UID)');
  if (str(ds, 'x00620001') !== 'BINARY')
    throw new GeometryError(`segmentation type ${str(ds, 'x00620001')} is not BINARY`);
  const rows = us(ds, 'x00280010') ?? 0;
  const columns = us(ds, 'x00280011') ?? 0;
  const shared = firstItem(ds, 'x52009229');
  const perFrame = items(ds, 'x52009230');
  // Orientation and pixel measures: shared, else those of the first frame.
  const orientation = firstItem(shared, 'x00209116') ?? firstItem(perFrame[0], 'x00209116');
  const measures = firstItem(shared, 'x00289110') ?? firstItem(perFrame[0], 'x00289110');
  const o = orientation ? numbers(orientation, 'x00200037') : [];
  const sp = measures ? numbers(measures, 'x00280030') : [];
  if (o.length !== 6 || sp.length !== 2)
    throw new GeometryError('segmentation has no plane orientation or pixel spacing');

  const segments = items(ds, 'x00620002').map((item) => ({
    number: us(item, 'x00620004') ?? 0,
    label: str(item, 'x00620005') ?? '',
    algorithmType: str(item, 'x00620008'),
    category: coded(firstItem(item, 'x00620003')),
    type: coded(firstItem(item, 'x0062000f')),
    anatomicRegion: coded(firstItem(item, 'x00082218')),
  }));
  const frames = perFrame.map((f, n) => {
    const position = vec3(firstItem(f, 'x00209113') ?? f, 'x00200032');
    const segmentNumber = us(firstItem(f, 'x0062000a') ?? f, 'x0062000b');
    if (!position || segmentNumber === undefined)
      throw new GeometryError(`frame ${n + 1} has no plane position or segment number`);
    const sources = items(firstItem(f, 'x00089124'), 'x00082112').map((s) => {
      const frameNumber = numbers(s, 'x00081160')[0];
      return {
        sopInstanceUid: str(s, 'x00081155') ?? '',
        ...(frameNumber !== undefined && { frameNumber }),
      };
    });
    return { segmentNumber, positionMm: position, sources };
  });
  const pixels = bytesOf(ds, 'x7fe00010');
  const plane = rows * columns;
  if (!pixels || pixels.length < Math.ceil((plane * frames.length) / 8))
    throw new GeometryError('segmentation pixel data is shorter than its frames');
  const frameBits = (n: number) => {
    const out = new Uint8Array(plane);
    for (let p = 0; p < plane; p++) {
      const bit = n * plane + p;
      out[p] = (pixels[bit >> 3]! >> (bit & 7)) & 1;
    }
    return out;
  };
  return {
    dataSet: ds,
    rows,
    columns,
    rowDirection: [o[0]!, o[1]!, o[2]!],
    columnDirection: [o[3]!, o[4]!, o[5]!],
    pixelSpacingMm: [sp[1]!, sp[0]!],
    segments,
    frames,
    frameBits,
  };
}

/**
 * Segment numbers per voxel of `geometry` (0 where no segment), each frame placed on the slice
 * its Plane Position lies on. The segmentation's frames must lie on the grid's slices, with its
 * rows, columns, spacing and orientation (no resampling here).
 */
export function segmentationOnGrid(seg: ReadSegmentation, geometry: Geometry): Uint16Array {
  const [nx, ny, nz] = geometry.shape;
  const [si, sj, sk] = geometry.spacingMm;
  const row = column(geometry.direction, 0);
  const col = column(geometry.direction, 1);
  const normal = column(geometry.direction, 2);
  if (seg.columns !== nx || seg.rows !== ny)
    throw new GeometryError(`frames are ${seg.columns}×${seg.rows}, the grid ${nx}×${ny}`);
  if (dot(seg.rowDirection, row) < 0.9999 || dot(seg.columnDirection, col) < 0.9999)
    throw new GeometryError('segmentation orientation differs from the grid');
  if (Math.abs(seg.pixelSpacingMm[0] - si) > 1e-3 || Math.abs(seg.pixelSpacingMm[1] - sj) > 1e-3)
    throw new GeometryError('segmentation pixel spacing differs from the grid');
  const out = new Uint16Array(nx * ny * nz);
  seg.frames.forEach((frame, n) => {
    const rel = sub(frame.positionMm, geometry.originMm);
    const k = Math.round(dot(rel, normal) / sk);
    const offset = sub(frame.positionMm, indexToWorld(geometry, [0, 0, k >= 0 ? k : 0]));
    if (k < 0 || k >= nz || Math.hypot(...offset) > 0.05 * Math.min(si, sj, sk))
      throw new GeometryError(`frame ${n + 1} is not on a slice of the grid`);
    const bits = seg.frameBits(n);
    const base = k * nx * ny;
    for (let p = 0; p < nx * ny; p++) if (bits[p]) out[base + p] = frame.segmentNumber;
  });
  return out;
}
