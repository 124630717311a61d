/**
 * One frame of an overlay series: an axial (native k) slice of a scan in a grey window with
 * the outline of each label burned in (a line along the outer sides of the label's boundary
 * voxels, in its LABEL_COLOURS colour; inside stays the scan's grey), shown radiologically
 * with R/L markers, the slice position at the top left, and a band under the picture with the
 * legend, the orientation note and the research-use notice. Each voxel is a `scale` × `scale` block (an integer
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

/**
 * Sides of display voxel (dx, dy) where the neighbour (or the slice edge) has another label:
 * bit 1 left, 2 right, 4 up, 8 down.
 */
function boundarySides(
  shown: Uint8Array,
  width: number,
  height: number,
  dx: number,
  dy: number,
): number {
  const l = shown[dx + width * dy]!;
  const other = (x: number, y: number) =>
    x < 0 || y < 0 || x >= width || y >= height || shown[x + width * y] !== l;
  return (
    (other(dx - 1, dy) ? 1 : 0) |
    (other(dx + 1, dy) ? 2 : 0) |
    (other(dx, dy - 1) ? 4 : 0) |
    (other(dx, dy + 1) ? 8 : 0)
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
  // Labels and grey values in display order.
  const shown = new Uint8Array(view.width * view.height);
  const grey = new Uint8Array(view.width * view.height);
  for (let dy = 0; dy < view.height; dy++)
    for (let dx = 0; dx < view.width; dx++) {
      const [i, j] = view.voxelAt(dx, dy);
      const v = i + nx * (j + ny * options.slice);
      shown[dx + view.width * dy] = labels[v] ?? 0;
      grey[dx + view.width * dy] = Math.max(
        0,
        Math.min(255, ((image.data[v]! - lo) / (hi - lo)) * 255),
      );
    }
  // The outline: a band of `line` pixels along each side of a label's boundary voxels.
  const line = Math.max(1, Math.ceil(scale / 6));
  for (let dy = 0; dy < view.height; dy++)
    for (let dx = 0; dx < view.width; dx++) {
      const n = dx + view.width * dy;
      const l = shown[n]!;
      const sides = l > 0 ? boundarySides(shown, view.width, view.height, dx, dy) : 0;
      const g = grey[n]!;
      for (let sy = 0; sy < scale; sy++)
        for (let sx = 0; sx < scale; sx++) {
          const edge =
            (sides & 1 && sx < line) ||
            (sides & 2 && sx >= scale - line) ||
            (sides & 4 && sy < line) ||
            (sides & 8 && sy >= scale - line);
          const o = 3 * ((dy * scale + sy) * width + dx * scale + sx);
          if (edge) pixels.set(labelColour(l), o);
          else pixels.fill(g, o, o + 3);
        }
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
