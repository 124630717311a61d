/**
 * ABC/2, the bedside haematoma volume (Kothari et al., Stroke 1996), measured on the largest
 * lesion the way a radiologist would on axial slices (voxel axis k):
 * - A: the longest in-plane diameter on the slice with the largest lesion area;
 * - B: the largest extent on that slice perpendicular to A;
 * - C: slice spacing × the number of slices, counting a slice as 1 when its area is ≥ 75 % of
 *   the largest, 0.5 when 25–75 %, 0 below 25 %.
 * Volume = A·B·C / 2 (mm³ → mL). Reported beside the segmented volume, never instead. Pure.
 */
import { connectedComponents } from '../core/connected-components.js';
import type { Geometry } from '../core/geometry.js';

export interface AbcOverTwo {
  readonly aMm: number;
  readonly bMm: number;
  readonly cMm: number;
  readonly volumeMl: number;
}

export function abcOverTwo(options: {
  readonly labels: ArrayLike<number>;
  readonly geometry: Geometry;
}): AbcOverTwo | null {
  const { geometry } = options;
  const [nx, ny, nz] = geometry.shape;
  const [si, sj, sk] = geometry.spacingMm;
  const cc = connectedComponents(options.labels, geometry.shape, { connectivity: 26 });
  if (cc.count === 0) return null;
  let largest = 1;
  for (let c = 2; c <= cc.count; c++) if (cc.sizes[c]! > cc.sizes[largest]!) largest = c;
  const areas = new Float64Array(nz);
  for (const v of cc.voxels) if (cc.labels[v] === largest) areas[Math.floor(v / (nx * ny))]!++;
  let kMax = 0;
  for (let k = 1; k < nz; k++) if (areas[k]! > areas[kMax]!) kMax = k;
  // In-plane points (mm) of the largest slice; voxel axes i and j are taken as orthogonal.
  // Only the boundary can hold the extremes: keep voxels with a 4-neighbour outside.
  const inside = (i: number, j: number) =>
    i >= 0 && j >= 0 && i < nx && j < ny && cc.labels[i + nx * (j + ny * kMax)] === largest;
  const points: [number, number][] = [];
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++)
      if (
        inside(i, j) &&
        !(inside(i - 1, j) && inside(i + 1, j) && inside(i, j - 1) && inside(i, j + 1))
      )
        points.push([i * si, j * sj]);
  // The diameter and the extent across it are reached at vertices of the convex hull: search
  // those (a few hundred) rather than all boundary pairs (a large ring has thousands).
  const hull = convexHull(points);
  let a = 0;
  let dir: [number, number] = [1, 0];
  for (let p = 0; p < hull.length; p++)
    for (let q = p + 1; q < hull.length; q++) {
      const dx = hull[q]![0] - hull[p]![0];
      const dy = hull[q]![1] - hull[p]![1];
      const d = Math.hypot(dx, dy);
      if (d > a) {
        a = d;
        dir = [dx / d, dy / d];
      }
    }
  let lo = Infinity;
  let hi = -Infinity;
  for (const [x, y] of hull) {
    const t = -dir[1] * x + dir[0] * y;
    lo = Math.min(lo, t);
    hi = Math.max(hi, t);
  }
  // A voxel has a width: diameters span the outer edges of the end voxels.
  const aMm = a + si;
  const bMm = hi - lo + si;
  let slices = 0;
  for (let k = 0; k < nz; k++) {
    const r = areas[k]! / areas[kMax]!;
    slices += r >= 0.75 ? 1 : r >= 0.25 ? 0.5 : 0;
  }
  const cMm = slices * sk;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    aMm: round(aMm),
    bMm: round(bMm),
    cMm: round(cMm),
    volumeMl: round((aMm * bMm * cMm) / 2 / 1000),
  };
}

/** Convex hull (Andrew's monotone chain), collinear points dropped; input order irrelevant. */
function convexHull(points: readonly [number, number][]): [number, number][] {
  if (points.length < 3) return [...points];
  const sorted = [...points].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const cross = (o: [number, number], a: [number, number], b: [number, number]) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (list: [number, number][]) => {
    const out: [number, number][] = [];
    for (const p of list) {
      while (out.length >= 2 && cross(out[out.length - 2]!, out[out.length - 1]!, p) <= 0)
        out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  return [...half(sorted), ...half([...sorted].reverse())];
}
