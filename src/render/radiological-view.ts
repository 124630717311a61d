/**
 * How to show an axial (native k) slice radiologically — anterior up, patient right on the
 * image's left — whatever the stored order of rows and columns: from the volume's direction
 * cosines (LPS), which voxel axis runs across the screen, which runs down, and whether each
 * is flipped. Plus the "R"/"L" side markers every picture carries. Pure.
 */
import type { Geometry } from '../core/geometry.js';
import { column } from '../core/vec.js';
import { type RgbImage, GLYPH_HEIGHT, GLYPH_WIDTH, drawText } from './bitmap-font.js';

/** Screen axes of a slice: x to the right (towards patient left), y down (towards posterior). */
export interface RadiologicalView {
  /** Display size in voxels (columns across, rows down). */
  readonly width: number;
  readonly height: number;
  /** Spacing of the display's columns and rows, mm. */
  readonly spacingXMm: number;
  readonly spacingYMm: number;
  /** In-slice voxel (i, j) shown at display pixel (x, y). */
  readonly voxelAt: (x: number, y: number) => readonly [number, number];
}

/** The sentence pictures carry about their orientation. */
export const RADIOLOGICAL_NOTE = 'Radiological view: anterior up, patient right on image left';

export function radiologicalView(geometry: Geometry): RadiologicalView {
  const [nx, ny] = geometry.shape;
  const [sx, sy] = geometry.spacingMm;
  const ci = column(geometry.direction, 0);
  const cj = column(geometry.direction, 1);
  // LPS: screen right = +x (patient left), screen down = +y (posterior).
  const transposed = Math.abs(cj[0]) > Math.abs(ci[0]);
  const flipAcross = (transposed ? cj[0] : ci[0]) < 0;
  const flipDown = (transposed ? ci[1] : cj[1]) < 0;
  const width = transposed ? ny : nx;
  const height = transposed ? nx : ny;
  return {
    width,
    height,
    spacingXMm: transposed ? sy : sx,
    spacingYMm: transposed ? sx : sy,
    voxelAt: (x, y) => {
      const a = flipAcross ? width - 1 - x : x;
      const d = flipDown ? height - 1 - y : y;
      return transposed ? [d, a] : [a, d];
    },
  };
}

/** Draws "R" at the middle of the left edge and "L" at the middle of the right edge. */
export function drawSideMarkers(
  image: RgbImage,
  options: { scale?: number; top?: number; height?: number } = {},
): void {
  const s = Math.max(1, Math.round(options.scale ?? 1));
  const top = options.top ?? 0;
  const height = options.height ?? image.height - top;
  const y = top + Math.round((height - GLYPH_HEIGHT * s) / 2);
  const colour = [255, 255, 0] as const;
  drawText(image, { text: 'R', x: 2, y, scale: s, color: colour });
  drawText(image, {
    text: 'L',
    x: image.width - 2 - (GLYPH_WIDTH - 1) * s,
    y,
    scale: s,
    color: colour,
  });
}
