/**
 * overview.png of `analyze`: a montage of axial (native k) slices of the first input image with
 * the label overlay: the slice with most lesion voxels and its neighbours when there is a
 * lesion, else slices spread over the middle of the volume. Tiles are radiological with R/L
 * markers; overview.png says so in a line under the montage.
 */
import { createLabelMap } from '../core/label-map.js';
import type { Volume } from '../core/volume.js';
import { encodePng } from '../io/png.js';
import { withBanner } from '../render/banner.js';
import type { RgbImage } from '../render/bitmap-font.js';
import { RADIOLOGICAL_NOTE } from '../render/radiological-view.js';
import { busiestSlice, montage, renderTile } from '../render/slice-view.js';

const TILES = 6;
const TILE_SIZE = 192;

function pickSlices(depth: number, centre: number | undefined): number[] {
  const n = Math.min(TILES, depth);
  if (centre !== undefined) {
    const start = Math.max(0, Math.min(depth - n, centre - Math.floor(n / 2)));
    return Array.from({ length: n }, (_, s) => start + s);
  }
  const lo = Math.floor(depth * 0.2);
  const hi = Math.max(lo, Math.ceil(depth * 0.8) - 1);
  return Array.from({ length: n }, (_, s) =>
    n === 1 ? Math.floor(depth / 2) : Math.round(lo + ((hi - lo) * s) / (n - 1)),
  );
}

/** Grey window: CT brain window in HU, else 1st–99th percentile of a sample. */
export function windowOf(image: Volume): [number, number] {
  if (image.meta.units === 'HU') return [0, 80];
  const sample: number[] = [];
  const step = Math.max(1, Math.floor(image.data.length / 50_000));
  for (let v = 0; v < image.data.length; v += step) sample.push(image.data[v]!);
  sample.sort((a, b) => a - b);
  const hi = sample[Math.floor(0.99 * (sample.length - 1))] ?? 1;
  return [0, hi > 0 ? hi : 1];
}

export interface OverviewOptions {
  readonly image: Volume;
  readonly labels: Uint8Array;
  readonly labelNames: Readonly<Record<number, string>>;
  readonly title: string;
}

export function overviewPng(options: OverviewOptions): Uint8Array {
  const picture = withBanner(overviewMontage(options).image, [{ text: RADIOLOGICAL_NOTE }]);
  return encodePng({ ...picture, channels: 3 });
}

/** The montage as RGB pixels, and the native slices (k) it shows. */
export function overviewMontage(options: OverviewOptions): { image: RgbImage; slices: number[] } {
  const { image } = options;
  const label = createLabelMap(image.geometry, options.labels, options.labelNames);
  const depth = image.geometry.shape[2];
  const hasLesion = options.labels.some((l) => l > 0);
  const slices = pickSlices(depth, hasLesion ? busiestSlice(label, depth) : undefined);
  const window = windowOf(image);
  const tiles = slices.map((k) =>
    renderTile({ image, label, slice: k, window, size: TILE_SIZE, caption: `k=${k}` }),
  );
  return { image: montage(tiles, { columns: 3, title: options.title }), slices };
}
