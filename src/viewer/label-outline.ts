/**
 * The outline of a label map: a labelled voxel stays when one of its 6 face neighbours has
 * another value (or lies outside the grid), every other voxel becomes 0. Shown instead of the
 * filled overlay so that the scan under a lesion stays visible. Pure; shape [nx, ny, nz],
 * x fastest.
 */
export function labelOutline<T extends Uint8Array | Int16Array | Float32Array>(
  labels: T,
  shape: readonly [number, number, number],
): T {
  const [nx, ny, nz] = shape;
  if (labels.length !== nx * ny * nz)
    throw new Error(`labelOutline: ${labels.length} voxels for shape ${shape.join('×')}`);
  const out = new (labels.constructor as new (n: number) => T)(labels.length);
  const sx = 1;
  const sy = nx;
  const sz = nx * ny;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const i = x * sx + y * sy + z * sz;
        const v = labels[i]!;
        if (v === 0) continue;
        const edge =
          x === 0 ||
          x === nx - 1 ||
          y === 0 ||
          y === ny - 1 ||
          z === 0 ||
          z === nz - 1 ||
          labels[i - sx] !== v ||
          labels[i + sx] !== v ||
          labels[i - sy] !== v ||
          labels[i + sy] !== v ||
          labels[i - sz] !== v ||
          labels[i + sz] !== v;
        if (edge) out[i] = v;
      }
  return out;
}
