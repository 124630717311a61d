/**
 * Mask operations for the image-quality checks on anisotropic native grids: a box dilation in
 * millimetres (separable running counts, O(voxels) whatever the radius) and, per axial slice,
 * the region enclosed by a ring (what a flood from the slice border cannot reach). Pure.
 */

type Shape = readonly [number, number, number];

/**
 * 1 where some voxel of `mask` lies within ± radiusMm along every axis (a box, so up to √3 ×
 * radius diagonally): "near" in the conservative sense.
 */
export function dilateBoxMm(options: {
  mask: Uint8Array;
  shape: Shape;
  spacingMm: readonly [number, number, number];
  radiusMm: number;
}): Uint8Array {
  const { shape } = options;
  let cur = options.mask;
  for (let axis = 0; axis < 3; axis++) {
    const r = Math.round(options.radiusMm / options.spacingMm[axis]!);
    if (r > 0) cur = dilateAxis(cur, shape, axis, r);
  }
  return cur === options.mask ? options.mask.slice() : cur;
}

function dilateAxis(mask: Uint8Array, shape: Shape, axis: number, r: number): Uint8Array {
  const [nx, ny, nz] = shape;
  const stride = axis === 0 ? 1 : axis === 1 ? nx : nx * ny;
  const len = shape[axis]!;
  const out = new Uint8Array(mask.length);
  const lines: number[] = [];
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const at = [i, j, k][axis]!;
        if (at === 0) lines.push(i + nx * (j + ny * k));
      }
  for (const start of lines) {
    // count of set voxels in the window [p − r, p + r]
    let count = 0;
    for (let p = 0; p < Math.min(r, len); p++) count += mask[start + p * stride]!;
    for (let p = 0; p < len; p++) {
      const add = p + r;
      if (add < len) count += mask[start + add * stride]!;
      const drop = p - r - 1;
      if (drop >= 0) count -= mask[start + drop * stride]!;
      if (count > 0) out[start + p * stride] = 1;
    }
  }
  return out;
}

/**
 * Per axial slice, 1 where a voxel is not part of the `wall` and cannot be reached from the
 * slice border through non-wall voxels (4-connected): the inside of a closed ring such as the
 * skull. A slice whose ring has a gap encloses nothing.
 */
export function enclosedBySlice(options: { wall: Uint8Array; shape: Shape }): Uint8Array {
  const { wall, shape } = options;
  const [nx, ny, nz] = shape;
  const plane = nx * ny;
  const out = new Uint8Array(wall.length);
  const reached = new Uint8Array(plane);
  const queue = new Int32Array(plane);
  for (let k = 0; k < nz; k++) {
    const base = k * plane;
    reached.fill(0);
    let head = 0;
    let tail = 0;
    const push = (p: number): void => {
      if (!reached[p] && !wall[base + p]) {
        reached[p] = 1;
        queue[tail++] = p;
      }
    };
    for (let i = 0; i < nx; i++) {
      push(i);
      push(i + nx * (ny - 1));
    }
    for (let j = 0; j < ny; j++) {
      push(nx * j);
      push(nx - 1 + nx * j);
    }
    while (head < tail) {
      const p = queue[head++]!;
      const i = p % nx;
      if (i > 0) push(p - 1);
      if (i + 1 < nx) push(p + 1);
      if (p >= nx) push(p - nx);
      if (p + nx < plane) push(p + nx);
    }
    for (let p = 0; p < plane; p++) if (!reached[p] && !wall[base + p]) out[base + p] = 1;
  }
  return out;
}
