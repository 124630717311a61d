/**
 * Renders an axial slice of a volume (grey-scale window) with an optional label overlay into
 * an RGB tile of fixed size, keeping the physical aspect ratio; and lays tiles out as a
 * montage with captions. Tiles are radiological (radiological-view.ts) with R/L markers. Used
 * for galleries, key images and overlays. Pure.
 */
import type { LabelMap } from '../core/label-map.js';
import type { Volume } from '../core/volume.js';
import { type RgbImage, GLYPH_HEIGHT, drawText } from './bitmap-font.js';
import { drawSideMarkers, radiologicalView } from './radiological-view.js';

/** Overlay colours by label value (1-based; cycles). */
export const LABEL_COLOURS: readonly (readonly [number, number, number])[] = [
  [230, 40, 40], [40, 120, 255], [250, 200, 30], [40, 200, 90], [200, 60, 220], [255, 140, 20],
  [20, 220, 220], [160, 160, 255],
]; // prettier-ignore

export interface TileOptions {
  readonly image: Volume;
  readonly label?: LabelMap;
  /** Slice index along k; default: the one with most label voxels, else the middle. */
  readonly slice?: number;
  /** Grey window [low, high] in image units. */
  readonly window: readonly [number, number];
  readonly size: number;
  readonly alpha?: number;
  /** Text drawn at the bottom left of the tile. */
  readonly caption?: string;
}

export function busiestSlice(label: LabelMap | undefined, depth: number): number {
  if (!label) return Math.floor(depth / 2);
  const [nx, ny, nz] = label.geometry.shape;
  let best = Math.floor(nz / 2);
  let bestCount = 0;
  for (let k = 0; k < nz; k++) {
    let c = 0;
    const base = k * nx * ny;
    for (let n = 0; n < nx * ny; n++) if (label.data[base + n]) c++;
    if (c > bestCount) [best, bestCount] = [k, c];
  }
  return best;
}

export function renderTile(options: TileOptions): RgbImage {
  const { image, label, size } = options;
  const [nx, ny, nz] = image.geometry.shape;
  const k = Math.min(nz - 1, Math.max(0, options.slice ?? busiestSlice(label, nz)));
  const view = radiologicalView(image.geometry);
  const widthMm = view.width * view.spacingXMm;
  const heightMm = view.height * view.spacingYMm;
  const mmPerPixel = Math.max(widthMm, heightMm) / size;
  const pixels = new Uint8Array(size * size * 3);
  const [lo, hi] = options.window;
  const alpha = options.alpha ?? 0.45;
  const offX = (size * mmPerPixel - widthMm) / 2;
  const offY = (size * mmPerPixel - heightMm) / 2;
  for (let y = 0; y < size; y++) {
    const dy = Math.floor((y * mmPerPixel - offY) / view.spacingYMm);
    for (let x = 0; x < size; x++) {
      const dx = Math.floor((x * mmPerPixel - offX) / view.spacingXMm);
      if (dx < 0 || dy < 0 || dx >= view.width || dy >= view.height) continue;
      const [i, j] = view.voxelAt(dx, dy);
      const v = i + nx * (j + ny * k);
      const g = Math.max(0, Math.min(255, ((image.data[v]! - lo) / (hi - lo)) * 255));
      let r = g;
      let gg = g;
      let b = g;
      const l = label?.data[v] ?? 0;
      if (l > 0) {
        const c = LABEL_COLOURS[(l - 1) % LABEL_COLOURS.length]!;
        r = (1 - alpha) * g + alpha * c[0];
        gg = (1 - alpha) * g + alpha * c[1];
        b = (1 - alpha) * g + alpha * c[2];
      }
      const o = 3 * (y * size + x);
      pixels[o] = r;
      pixels[o + 1] = gg;
      pixels[o + 2] = b;
    }
  }
  const tile = { width: size, height: size, pixels };
  drawSideMarkers(tile);
  if (options.caption) drawText(tile, { text: options.caption, x: 3, y: size - GLYPH_HEIGHT - 2 });
  return tile;
}

/** Lays tiles out in rows of `columns`, with a 2-pixel gap. */
export function montage(
  tiles: readonly RgbImage[],
  options: { columns: number; title?: string },
): RgbImage {
  const first = tiles[0];
  if (!first) throw new RangeError('montage of no tiles');
  const gap = 2;
  const top = options.title ? GLYPH_HEIGHT * 2 + 6 : 0;
  const columns = Math.max(1, Math.min(options.columns, tiles.length));
  const rows = Math.ceil(tiles.length / columns);
  const width = columns * first.width + (columns - 1) * gap;
  const height = top + rows * first.height + (rows - 1) * gap;
  const out: RgbImage = { width, height, pixels: new Uint8Array(width * height * 3) };
  tiles.forEach((t, n) => {
    const x0 = (n % columns) * (first.width + gap);
    const y0 = top + Math.floor(n / columns) * (first.height + gap);
    for (let y = 0; y < t.height; y++)
      out.pixels.set(
        t.pixels.subarray(y * t.width * 3, (y + 1) * t.width * 3),
        3 * ((y0 + y) * width + x0),
      );
  });
  if (options.title) drawText(out, { text: options.title, x: 4, y: 4, scale: 2 });
  return out;
}
