/**
 * One frame of an overlay series: an axial (native k) slice of a scan in a grey window with
 * the outline of each label burned in (the label's boundary voxels, in its LABEL_COLOURS
 * colour; inside stays the scan's grey), shown radiologically with R/L markers, the slice
 * position at the top left, and a band under the picture with the legend, the orientation
 * note and the research-use notice. Each voxel is a `scale` × `scale` block (an integer
 * upsampling, for legible text on small grids). Pure.
 */
import type { Volume } from '../core/volume.js';
import { type BannerLine, withBanner } from './banner.js';
import { type RgbImage, drawText } from './bitmap-font.js';
import { RADIOLOGICAL_NOTE, drawSideMarkers, radiologicalView } from './radiological-view.js';
import { LABEL_COLOURS } from './slice-view.js';

export interface OverlayFrameOptions {
  readonly image: Volume;
  /** Labels on `image.geometry`. */
  readonly labels: Uint8Array;
  /** Label value → name, for the legend. */
  readonly labelNames: Readonly<Record<number, string>>;
  /** Slice index along k. */
  readonly slice: number;
  /** Grey window [low, high] in image units. */
  readonly window: readonly [number, number];
  /** Pixels per voxel (integer ≥ 1). */
  readonly scale: number;
  /** Text at the top left, e.g. the slice position. */
  readonly caption: string;
  /** The research-use sentence, last line of the band. */
  readonly notice: string;
}

export function labelColour(value: number): readonly [number, number, number] {
  return LABEL_COLOURS[(value - 1) % LABEL_COLOURS.length]!;
}

/** A voxel of label l > 0 with a 4-neighbour in the slice that is not l (or the slice edge). */
function isBoundary(labels: Uint8Array, nx: number, ny: number, v: number): boolean {
  const l = labels[v]!;
  const i = v % nx;
  const j = Math.floor(v / nx) % ny;
  return (
    i === 0 ||
    j === 0 ||
    i === nx - 1 ||
    j === ny - 1 ||
    labels[v - 1] !== l ||
    labels[v + 1] !== l ||
    labels[v - nx] !== l ||
    labels[v + nx] !== l
  );
}

export function renderOverlayFrame(options: OverlayFrameOptions): RgbImage {
  const { image, labels, scale } = options;
  const [nx, ny] = image.geometry.shape;
  const view = radiologicalView(image.geometry);
  const width = view.width * scale;
  const height = view.height * scale;
  const pixels = new Uint8Array(width * height * 3);
  const [lo, hi] = options.window;
  for (let dy = 0; dy < view.height; dy++)
    for (let dx = 0; dx < view.width; dx++) {
      const [i, j] = view.voxelAt(dx, dy);
      const v = i + nx * (j + ny * options.slice);
      const l = labels[v] ?? 0;
      const g = Math.max(0, Math.min(255, ((image.data[v]! - lo) / (hi - lo)) * 255));
      const c = l > 0 && isBoundary(labels, nx, ny, v) ? labelColour(l) : ([g, g, g] as const);
      for (let y = dy * scale; y < (dy + 1) * scale; y++)
        for (let x = dx * scale; x < (dx + 1) * scale; x++) pixels.set(c, 3 * (y * width + x));
    }
  const picture: RgbImage = { width, height, pixels };
  drawSideMarkers(picture, { scale: 2 });
  drawText(picture, { text: options.caption, x: 3, y: 3 });
  const legend: BannerLine[] = Object.entries(options.labelNames)
    .map(([value, name]) => ({ value: Number(value), name }))
    .filter((e) => e.value > 0)
    .sort((a, b) => a.value - b.value)
    .map((e) => ({ text: `# ${e.name}`, colour: labelColour(e.value) }));
  return withBanner(picture, [
    ...legend,
    { text: RADIOLOGICAL_NOTE },
    { text: options.notice, colour: [255, 210, 40] },
  ]);
}
