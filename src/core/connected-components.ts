/**
 * Connected components of a binary (non-zero) mask with 6-, 18- or 26-connectivity, by a
 * two-pass union–find labelling. 26-connectivity is what ISLES'22 uses for lesion counting.
 * Only foreground voxels and their neighbours are touched after the first scan, and their
 * indices are returned (`voxels`): callers iterate those rather than the whole grid (on a
 * 0.6-mm CT the grid is 38 M voxels, and a fresh 150-MB array costs ~0.5 s in page faults).
 */
import type { Vec3 } from './vec.js';

export type Connectivity = 6 | 18 | 26;

export interface Components {
  /** Component id per voxel (0 = background, 1..count). */
  readonly labels: Int32Array;
  readonly count: number;
  /** Voxel count of each component (index = id; index 0 unused). */
  readonly sizes: Int32Array;
  /** Linear indices of the foreground voxels, ascending. */
  readonly voxels: Int32Array;
}

function neighbourOffsets(connectivity: Connectivity): Vec3[] {
  // Only neighbours already visited in raster order (k, j, i increasing).
  const out: Vec3[] = [];
  for (let dk = -1; dk <= 0; dk++)
    for (let dj = -1; dj <= 1; dj++)
      for (let di = -1; di <= 1; di++) {
        if (dk === 0 && (dj > 0 || (dj === 0 && di >= 0))) continue;
        const manhattan = Math.abs(di) + Math.abs(dj) + Math.abs(dk);
        if (connectivity === 6 && manhattan > 1) continue;
        if (connectivity === 18 && manhattan > 2) continue;
        out.push([di, dj, dk]);
      }
  return out;
}

function doubled(a: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(a.length * 2);
  grown.set(a);
  return grown;
}

export function connectedComponents(
  mask: ArrayLike<number>,
  shape: Vec3,
  options: { connectivity?: Connectivity } = {},
): Components {
  const [nx, ny, nz] = shape;
  const offsets = neighbourOffsets(options.connectivity ?? 26);
  // Linear offsets, valid for voxels off every border the neighbours reach (x both ends,
  // y both ends — (0, +1, −1) is a neighbour — and low z).
  const deltas = Int32Array.from(offsets, ([di, dj, dk]) => di + nx * (dj + ny * dk));
  const labels = new Int32Array(nx * ny * nz);
  let parent = new Int32Array(1024);
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]!]!;
      a = parent[a]!;
    }
    return a;
  };
  let next = 1;
  let voxels = new Int32Array(1024);
  let fg = 0;
  let v = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, v++) {
        if (!mask[v]) continue;
        const interior = i > 0 && i < nx - 1 && j > 0 && j < ny - 1 && k > 0;
        let root = 0;
        for (let n = 0; n < deltas.length; n++) {
          if (!interior) {
            const [di, dj, dk] = offsets[n]!;
            const a = i + di;
            const b = j + dj;
            if (a < 0 || b < 0 || k + dk < 0 || a >= nx || b >= ny) continue;
          }
          const l = labels[v + deltas[n]!]!;
          if (l === 0) continue;
          const r = find(l);
          if (root === 0) root = r;
          else if (r !== root) {
            const lo = Math.min(r, root);
            parent[Math.max(r, root)] = lo;
            root = lo;
          }
        }
        if (root === 0) {
          if (next === parent.length) parent = doubled(parent);
          parent[next] = next;
          root = next++;
        }
        labels[v] = root;
        if (fg === voxels.length) voxels = doubled(voxels);
        voxels[fg++] = v;
      }
  // Second pass: compact roots to 1..count.
  const compact = new Int32Array(next);
  let count = 0;
  for (let l = 1; l < next; l++) {
    const r = find(l);
    if (compact[r] === 0) compact[r] = ++count;
    compact[l] = compact[r]!;
  }
  const sizes = new Int32Array(count + 1);
  for (let f = 0; f < fg; f++) {
    const u = voxels[f]!;
    const c = compact[labels[u]!]!;
    labels[u] = c;
    sizes[c]!++;
  }
  return { labels, count, sizes, voxels: voxels.slice(0, fg) };
}
