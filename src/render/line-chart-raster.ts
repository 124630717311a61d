/**
 * Line charts drawn straight into RGB pixels (for PNG files: training loss curves, learning
 * curves), with axes, tick labels and a legend in the bitmap font. Pure.
 */
import { type RgbImage, GLYPH_HEIGHT, GLYPH_WIDTH, drawText } from './bitmap-font.js';

export interface RasterSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  readonly colour: readonly [number, number, number];
}

export interface RasterChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly width?: number;
  readonly height?: number;
  readonly logY?: boolean;
  /** Log-scaled x axis (e.g. training-set sizes 25, 50, 100, 200). */
  readonly logX?: boolean;
  /** Fixed y range (e.g. [0, 1] for scores) instead of the data's range. */
  readonly yRange?: readonly [number, number];
  /** A small square at every data point. */
  readonly markers?: boolean;
}

function setPixel(img: RgbImage, x: number, y: number, c: readonly [number, number, number]): void {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  const o = 3 * (Math.round(y) * img.width + Math.round(x));
  img.pixels[o] = c[0];
  img.pixels[o + 1] = c[1];
  img.pixels[o + 2] = c[2];
}

/** A line from (x0, y0) to (x1, y1), two pixels thick. */
function line(
  img: RgbImage,
  a: readonly [number, number],
  b: readonly [number, number],
  c: readonly [number, number, number],
): void {
  const steps = Math.max(1, Math.ceil(Math.max(Math.abs(b[0] - a[0]), Math.abs(b[1] - a[1]))));
  for (let s = 0; s <= steps; s++) {
    const x = a[0] + ((b[0] - a[0]) * s) / steps;
    const y = a[1] + ((b[1] - a[1]) * s) / steps;
    setPixel(img, x, y, c);
    setPixel(img, x, y + 1, c);
  }
}

const label = (v: number) =>
  Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0)
    ? v.toExponential(1)
    : Number(v.toPrecision(3)).toString();

export function rasterLineChart(
  series: readonly RasterSeries[],
  options: RasterChartOptions,
): RgbImage {
  const width = options.width ?? 640;
  const height = options.height ?? 400;
  const img: RgbImage = { width, height, pixels: new Uint8Array(width * height * 3).fill(255) };
  const m = { l: 70, r: 20, t: 30, b: 40 };
  const ty = (v: number) => (options.logY ? Math.log10(Math.max(v, 1e-12)) : v);
  const tx = (v: number) => (options.logX ? Math.log10(Math.max(v, 1e-12)) : v);
  const xs = series.flatMap((s) => s.points.map((p) => tx(p[0]))).filter(Number.isFinite);
  const ys = series.flatMap((s) => s.points.map((p) => ty(p[1]))).filter(Number.isFinite);
  const [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  let [y0, y1] = options.yRange
    ? [ty(options.yRange[0]), ty(options.yRange[1])]
    : ys.length
      ? [Math.min(...ys), Math.max(...ys)]
      : [0, 1];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const px = (v: number) => m.l + ((tx(v) - x0) / (x1 - x0 || 1)) * (width - m.l - m.r);
  const py = (v: number) => height - m.b - ((ty(v) - y0) / (y1 - y0)) * (height - m.t - m.b);
  const grey: [number, number, number] = [200, 200, 200];
  const dark: [number, number, number] = [60, 60, 60];
  for (let i = 0; i <= 4; i++) {
    const gx = m.l + (i / 4) * (width - m.l - m.r);
    const gy = m.t + (i / 4) * (height - m.t - m.b);
    line(img, [gx, m.t], [gx, height - m.b], grey);
    line(img, [m.l, gy], [width - m.r, gy], grey);
    const xv = x0 + ((x1 - x0) * i) / 4;
    const yv = y1 - ((y1 - y0) * i) / 4;
    drawText(img, {
      text: label(options.logX ? 10 ** xv : xv),
      x: gx - 10,
      y: height - m.b + 6,
      color: dark,
    });
    drawText(img, { text: label(options.logY ? 10 ** yv : yv), x: 4, y: gy - 3, color: dark });
  }
  line(img, [m.l, height - m.b], [width - m.r, height - m.b], dark);
  line(img, [m.l, m.t], [m.l, height - m.b], dark);
  series.forEach((s, n) => {
    const pts = s.points.filter((p) => Number.isFinite(p[0]) && Number.isFinite(ty(p[1])));
    for (let i = 1; i < pts.length; i++)
      line(
        img,
        [px(pts[i - 1]![0]), py(pts[i - 1]![1])],
        [px(pts[i]![0]), py(pts[i]![1])],
        s.colour,
      );
    if (options.markers)
      for (const p of pts)
        for (let d = -3; d <= 3; d++)
          line(img, [px(p[0]) - 3, py(p[1]) + d - 1], [px(p[0]) + 3, py(p[1]) + d - 1], s.colour);
    if (pts.length === 1)
      line(
        img,
        [px(pts[0]![0]) - 2, py(pts[0]![1])],
        [px(pts[0]![0]) + 2, py(pts[0]![1])],
        s.colour,
      );
    const ly = m.t + 4 + n * (GLYPH_HEIGHT + 4);
    line(img, [width - m.r - 150, ly + 3], [width - m.r - 136, ly + 3], s.colour);
    drawText(img, { text: s.name, x: width - m.r - 130, y: ly, color: dark });
  });
  drawText(img, { text: options.title, x: m.l, y: 8, color: [0, 0, 0], scale: 2 });
  drawText(img, {
    text: options.xLabel,
    x: (width - options.xLabel.length * GLYPH_WIDTH) / 2,
    y: height - 14,
    color: dark,
  });
  drawText(img, { text: options.yLabel, x: 4, y: m.t - 12, color: dark });
  return img;
}
