/**
 * Which source images a slice of a grid *is*: images whose pixel grid coincides with slice k of
 * the grid (same orientation, rows, columns and pixel spacing, first pixel at the slice's
 * origin). For an ordinary stack loaded as is, slice k is the k-th source image (one per volume
 * of a 4-D series); on a grid resampled from a tilted or unevenly spaced stack, slices lie
 * between or across source images and generally match none.
 */
import type { DicomSourceImage, DicomSourceReference } from '../../core/dicom-source.js';
import { type Geometry, indexToWorld } from '../../core/geometry.js';
import { type Vec3, column, dot, sub } from '../../core/vec.js';

/** Positions agree within this fraction of the voxel size. */
const TOLERANCE = 0.05;

function sameGrid(geometry: Geometry, source: DicomSourceReference): boolean {
  const grid = source.grid;
  if (!grid) return false;
  const [nx, ny] = geometry.shape;
  const [si, sj] = geometry.spacingMm;
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-3 * Math.max(1, Math.abs(b));
  return (
    grid.columns === nx &&
    grid.rows === ny &&
    close(grid.pixelSpacingMm[0], si) &&
    close(grid.pixelSpacingMm[1], sj) &&
    dot(grid.rowDirection, column(geometry.direction, 0)) > 0.9999 &&
    dot(grid.columnDirection, column(geometry.direction, 1)) > 0.9999
  );
}

function samePosition(geometry: Geometry, a: Vec3, b: Vec3): boolean {
  const d = sub(a, b);
  const [si, sj, sk] = geometry.spacingMm;
  return (
    Math.abs(dot(d, column(geometry.direction, 0))) <= TOLERANCE * si &&
    Math.abs(dot(d, column(geometry.direction, 1))) <= TOLERANCE * sj &&
    Math.abs(dot(d, column(geometry.direction, 2))) <= TOLERANCE * sk
  );
}

/** Source images per slice k of the grid (empty where none coincides). */
export function sourceImagesBySlice(
  geometry: Geometry,
  sources: readonly DicomSourceReference[],
): DicomSourceImage[][] {
  const nz = geometry.shape[2];
  const out: DicomSourceImage[][] = Array.from({ length: nz }, () => []);
  for (const source of sources) {
    if (!sameGrid(geometry, source)) continue;
    for (const image of source.images) {
      if (!image.positionMm) continue;
      // Nearest slice along the normal, then an exact check of the whole position.
      const rel = sub(image.positionMm, geometry.originMm);
      const k = Math.round(dot(rel, column(geometry.direction, 2)) / geometry.spacingMm[2]);
      if (k < 0 || k >= nz) continue;
      if (samePosition(geometry, image.positionMm, indexToWorld(geometry, [0, 0, k])))
        out[k]!.push(image);
    }
  }
  return out;
}
