/**
 * The case view's lesion list: from the report's located lesions (patient LPS centre, label,
 * volume, where), or, for a report without a location (registration not run or failed), from
 * the label map itself (26-connected components, as the analysis counts them) with their
 * centres and volumes. Positions are RAS mm, NiiVue's world (RAS = LPS with x and y negated).
 */
import { connectedComponents } from '../core/connected-components.js';

export interface ListedLesion {
  readonly label: string;
  readonly volumeMl: number;
  /** Where, in a few words; '' when not localised. */
  readonly where: string;
  readonly centreRasMm: readonly [number, number, number];
}

export interface ReportedLesion {
  readonly volumeMl: number;
  readonly labels: readonly { readonly name: string }[];
  readonly centreMm: readonly [number, number, number];
  readonly side?: string;
  readonly region?: string;
  readonly structures?: readonly { readonly name: string }[];
  readonly territories?: readonly { readonly name: string }[];
}

export function lesionsFromReport(lesions: readonly ReportedLesion[]): ListedLesion[] {
  return lesions.map((l) => {
    const [x, y, z] = l.centreMm;
    const where = [l.territories?.[0]?.name, l.structures?.[0]?.name ?? l.region]
      .filter((w): w is string => Boolean(w))
      .join('; ');
    return {
      label: l.labels[0]?.name ?? 'lesion',
      volumeMl: l.volumeMl,
      where,
      centreRasMm: [-x, -y, z],
    };
  });
}

export interface LabelGrid {
  readonly data: ArrayLike<number>;
  readonly shape: readonly [number, number, number];
  /** 4×4 row-major voxel → RAS mm. */
  readonly voxelToRas: readonly number[];
  readonly labelNames: Readonly<Record<number, string>>;
}

export function lesionsFromLabels(grid: LabelGrid): ListedLesion[] {
  const { data, shape, voxelToRas: m } = grid;
  const [nx, ny] = shape;
  const components = connectedComponents(data, [shape[0], shape[1], shape[2]], {
    connectivity: 26,
  });
  const n = components.count + 1;
  const sum = new Float64Array(n * 3);
  const labelOf = new Int32Array(n);
  for (let i = 0; i < components.labels.length; i++) {
    const c = components.labels[i]!;
    if (c === 0) continue;
    const x = i % nx;
    const y = Math.floor(i / nx) % ny;
    const z = Math.floor(i / (nx * ny));
    sum[c * 3] = sum[c * 3]! + x;
    sum[c * 3 + 1] = sum[c * 3 + 1]! + y;
    sum[c * 3 + 2] = sum[c * 3 + 2]! + z;
    if (labelOf[c] === 0) labelOf[c] = data[i]!;
  }
  // Voxel volume from the affine's columns.
  const col = (k: number) => Math.hypot(m[k]!, m[4 + k]!, m[8 + k]!);
  const voxelMl = (col(0) * col(1) * col(2)) / 1000;
  const out: ListedLesion[] = [];
  for (let c = 1; c < n; c++) {
    const size = components.sizes[c]!;
    const [i, j, k] = [sum[c * 3]! / size, sum[c * 3 + 1]! / size, sum[c * 3 + 2]! / size];
    const ras = [0, 1, 2].map(
      (r) => m[r * 4]! * i + m[r * 4 + 1]! * j + m[r * 4 + 2]! * k + m[r * 4 + 3]!,
    );
    out.push({
      label: grid.labelNames[labelOf[c]!] ?? `label ${labelOf[c]}`,
      volumeMl: size * voxelMl,
      where: '',
      centreRasMm: [ras[0]!, ras[1]!, ras[2]!],
    });
  }
  return out.sort((a, b) => b.volumeMl - a.volumeMl);
}
