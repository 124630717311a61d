/**
 * The overlay series for PACS viewers that show neither DICOM SEG nor SR: one Multi-frame True
 * Color Secondary Capture instance (overlay-series.dcm, series 9005) in the source's study,
 * one frame per axial slice of the analysed image (or per slice with findings), each the scan
 * in the task's window (CT brain 0–80 HU, i.e. 40/80; otherwise 0 to the 99th percentile)
 * with the lesion outline burned in per label colour, a legend, R/L markers, the slice
 * position and the research-use notice (render/overlay-frame.ts). Frames are the source
 * slice's grid shown radiologically (flipped/transposed from the stored order as the direction
 * cosines require), each voxel upsampled to an integer block of at least MIN_SIZE_PX pixels
 * across for legible text. Source Image Sequence names each frame's source image (or, when the
 * grid is not slice-for-slice the source, every source instance); the Common Instance
 * Reference module names the source series.
 */
import type { DicomSourceReference } from '../core/dicom-source.js';
import { indexToWorld } from '../core/geometry.js';
import { column, dot } from '../core/vec.js';
import type { Volume } from '../core/volume.js';
import { type DeviceIdentity, referencedInstances } from '../io/dicom/derived-modules.js';
import { sourceImagesBySlice } from '../io/dicom/source-matching.js';
import { randomUid } from '../io/dicom/uid.js';
import { writeTrueColorMultiframe } from '../io/dicom/write-true-color-multiframe.js';
import { renderOverlayFrame } from '../render/overlay-frame.js';
import { windowOf } from './overview.js';

/** Frames are upsampled until the picture is at least this wide and high, px. */
export const MIN_SIZE_PX = 384;
export const OVERLAY_SERIES_DESCRIPTION = 'NeuroTriage overlay (research use only)';
export const OVERLAY_NOTICE = 'NeuroTriage - research use only, not a medical device';

export interface OverlaySeriesOptions {
  readonly image: Volume;
  /** Labels on `image.geometry`. */
  readonly labels: Uint8Array;
  readonly labelNames: Readonly<Record<number, string>>;
  /** Source series; the first is the one `image` came from. */
  readonly sources: readonly DicomSourceReference[];
  readonly device: DeviceIdentity;
  readonly seriesNumber: number;
  /** Only slices with at least one label voxel (default: every slice). */
  readonly findingsOnly?: boolean;
  /** Image Comments (the research-use notice). */
  readonly comments: string;
  readonly now?: Date;
}

export interface OverlaySeries {
  readonly bytes: Uint8Array;
  /** Native slice index k of each frame. */
  readonly slices: readonly number[];
  /** Pixels per voxel. */
  readonly scale: number;
}

function slicesWithFindings(labels: Uint8Array, perSlice: number, depth: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < depth; k++)
    if (labels.subarray(k * perSlice, (k + 1) * perSlice).some((l) => l > 0)) out.push(k);
  return out;
}

export function overlaySeries(options: OverlaySeriesOptions): OverlaySeries {
  const { image, labels, sources } = options;
  const source = sources[0];
  if (!source) throw new Error('overlaySeries: no DICOM source');
  const g = image.geometry;
  const [nx, ny, nz] = g.shape;
  const all = Array.from({ length: nz }, (_, k) => k);
  const slices = options.findingsOnly ? slicesWithFindings(labels, nx * ny, nz) : all;
  if (slices.length === 0) slices.push(Math.floor(nz / 2));
  const scale = Math.max(1, Math.ceil(MIN_SIZE_PX / Math.max(nx, ny)));
  const window = windowOf(image);
  const normal = column(g.direction, 2);
  const locationsMm = slices.map((k) => dot(indexToWorld(g, [0, 0, k]), normal));
  const frames = slices.map((k, n) =>
    renderOverlayFrame({
      image,
      labels,
      labelNames: options.labelNames,
      slice: k,
      window,
      scale,
      caption: `slice ${k + 1}/${nz}  ${locationsMm[n]!.toFixed(1)} mm`,
      notice: OVERLAY_NOTICE,
    }),
  );
  // Each frame's source image when the grid is slice-for-slice the source; otherwise (a grid
  // resampled from a tilted stack, images without positions) every instance of the series.
  const bySlice = sourceImagesBySlice(g, sources);
  const matched = slices.map((k) => bySlice[k]?.[0]);
  const shownImages = matched.every((im) => im !== undefined)
    ? matched
    : referencedInstances(source);
  const bytes = writeTrueColorMultiframe({
    frames,
    sliceLocationsMm: locationsMm,
    source,
    referencedSeries: sources,
    shownImages,
    device: options.device,
    instance: {
      sopInstanceUid: randomUid(),
      seriesInstanceUid: randomUid(),
      seriesNumber: options.seriesNumber,
      seriesDescription: OVERLAY_SERIES_DESCRIPTION,
      createdAt: options.now ?? new Date(),
    },
    comments: `${options.comments} Lesion outlines burned in; radiological view.`,
    derivationDescription: 'NeuroTriage lesion outline overlay on the source slices',
  });
  return { bytes, slices, scale };
}
