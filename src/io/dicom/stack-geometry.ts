/**
 * Works out how a set of parallel slices forms a 3-D (or 4-D) grid: sorts them along the slice
 * normal, splits repeated positions into volumes, measures spacing, and detects what needs
 * resampling (uneven spacing, gantry tilt = in-plane shift between slices) and missing slices.
 */
import { GeometryError } from '../../core/errors.js';
import { type Vec3, cross, dot, sub } from '../../core/vec.js';
import type { SliceHeader } from './slice-header.js';

export interface StackPlan {
  /** Slices of each volume, sorted along the normal (volumes[v][k]). */
  readonly volumes: readonly (readonly SliceHeader[])[];
  readonly rowDirection: Vec3;
  readonly columnDirection: Vec3;
  readonly normal: Vec3;
  /** Position of each slice along the normal, mm (same for every volume). */
  readonly normalPositionsMm: readonly number[];
  /** In-plane offset of each slice's first pixel from slice 0's, in voxels (i, j). */
  readonly inPlaneShiftVoxels: readonly (readonly [number, number])[];
  readonly medianStepMm: number;
  readonly uneven: boolean;
  /** Gantry tilt (or any in-plane drift between slices) seen in the positions. */
  readonly sheared: boolean;
  readonly tiltDeg: number;
  readonly warnings: readonly string[];
}

const POSITION_TOLERANCE_MM = 0.01;
/** Pixel sizes outside this range (mm) are corrupt headers, not images of a head. */
const PIXEL_SPACING_RANGE_MM = [1e-3, 1e3] as const;
/** Positions further than this from the scanner's origin (mm) are corrupt headers. */
const MAX_POSITION_MM = 1e6;

function checkPlausible(s: SliceHeader): void {
  const [lo, hi] = PIXEL_SPACING_RANGE_MM;
  const [si, sj] = s.pixelSpacingMm;
  if (!(si >= lo && si <= hi && sj >= lo && sj <= hi))
    throw new GeometryError(
      `${s.name}: Pixel Spacing ${sj}\\${si} mm is not a plausible pixel size (${lo}–${hi} mm)`,
    );
  if (s.positionMm && !s.positionMm.every((x) => Math.abs(x) <= MAX_POSITION_MM))
    throw new GeometryError(
      `${s.name}: Image Position (Patient) ${s.positionMm.join('\\')} is not a plausible position`,
    );
}

export function planStack(slices: readonly SliceHeader[]): StackPlan {
  const first = slices[0];
  if (!first) throw new GeometryError('series has no slices');
  const row = first.rowDirection ?? [1, 0, 0];
  const col = first.columnDirection ?? [0, 1, 0];
  const normal = cross(row, col);
  const warnings: string[] = [];
  if (!first.rowDirection) warnings.push('no Image Orientation (Patient): assumed axial');
  for (const s of slices) {
    if (s.rowDirection && s.columnDirection) {
      if (dot(s.rowDirection, row) < 0.999 || dot(s.columnDirection, col) < 0.999)
        throw new GeometryError(`slices are not parallel (${s.name}); cannot build one volume`);
    }
  }
  for (const s of slices) checkPlausible(s);
  const volumes = splitVolumes(slices, normal, warnings);
  const ref = volumes[0]!;
  const d = ref.map((s) => position(s, normal));
  const p0 = ref[0]!.positionMm ?? [0, 0, 0];
  const [si, sj] = first.pixelSpacingMm;
  const shifts = ref.map((s): [number, number] => {
    const delta = sub(s.positionMm ?? p0, p0);
    return [dot(delta, row) / si, dot(delta, col) / sj];
  });
  const steps = d.slice(1).map((x, k) => x - d[k]!);
  const sorted = [...steps].sort((a, b) => a - b);
  const fallback = first.series.spacingBetweenSlicesMm ?? first.series.sliceThicknessMm ?? 1;
  const medianStepMm = sorted.length > 0 ? sorted[Math.floor(sorted.length / 2)]! : fallback;
  const uneven = steps.some((s) => Math.abs(s - medianStepMm) > 0.01 + 0.01 * medianStepMm);
  warnings.push(...gapWarnings(steps, ref));
  const maxShiftMm = Math.max(...shifts.map(([a, b]) => Math.hypot(a * si, b * sj)));
  const span = (d[d.length - 1] ?? 0) - (d[0] ?? 0);
  const sheared = maxShiftMm > 0.05 * Math.min(si, sj);
  const tiltDeg = span > 0 ? (Math.atan2(maxShiftMm, span) * 180) / Math.PI : 0;
  if (sheared)
    warnings.push(
      `gantry tilt ${tiltDeg.toFixed(1)}°: corrected by resampling onto an orthogonal grid`,
    );
  if (uneven) warnings.push('uneven slice spacing: resampled to equidistant slices');
  return {
    volumes,
    rowDirection: row,
    columnDirection: col,
    normal,
    normalPositionsMm: d,
    inPlaneShiftVoxels: shifts,
    medianStepMm,
    uneven,
    sheared,
    tiltDeg,
    warnings,
  };
}

function position(s: SliceHeader, normal: Vec3): number {
  return s.positionMm ? dot(s.positionMm, normal) : (s.inStackPosition ?? s.instanceNumber ?? 0);
}

/** Groups slices by position; several slices at one position are several volumes (4-D). */
function splitVolumes(
  slices: readonly SliceHeader[],
  normal: Vec3,
  warnings: string[],
): SliceHeader[][] {
  const withPos = slices.map((s) => ({ s, d: position(s, normal) })).sort((a, b) => a.d - b.d);
  const positions: { d: number; list: SliceHeader[] }[] = [];
  for (const { s, d } of withPos) {
    const last = positions[positions.length - 1];
    if (last && Math.abs(last.d - d) <= POSITION_TOLERANCE_MM) last.list.push(s);
    else positions.push({ d, list: [s] });
  }
  const counts = positions.map((p) => p.list.length);
  const nVolumes = Math.min(...counts);
  if (Math.max(...counts) !== nVolumes)
    warnings.push(
      `positions hold different numbers of images (${Math.min(...counts)}–${Math.max(...counts)}): ` +
        `kept ${nVolumes} volume(s); some images were left out`,
    );
  for (const p of positions) p.list.sort(volumeOrder);
  const volumes: SliceHeader[][] = [];
  for (let v = 0; v < nVolumes; v++) volumes.push(positions.map((p) => p.list[v]!));
  return volumes;
}

function volumeOrder(a: SliceHeader, b: SliceHeader): number {
  return (
    (a.temporalPosition ?? 0) - (b.temporalPosition ?? 0) ||
    (a.acquisitionNumber ?? 0) - (b.acquisitionNumber ?? 0) ||
    (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0) ||
    a.source.fileIndex - b.source.fileIndex ||
    a.source.frameIndex - b.source.frameIndex
  );
}

/**
 * Missing slices: a step that is more than 1.5× the typical step around it (median of up to
 * two steps on each side) and wider than the slices' own thickness leaves tissue unimaged.
 * A change of slice thickness between two packets (e.g. 4 mm then 7 mm) is not a gap.
 */
function gapWarnings(steps: readonly number[], slices: readonly SliceHeader[]): string[] {
  const out: string[] = [];
  steps.forEach((step, k) => {
    const around = [steps[k - 2], steps[k - 1], steps[k + 1], steps[k + 2]].filter(
      (x): x is number => x !== undefined,
    );
    if (around.length === 0) return;
    const local = [...around].sort((a, b) => a - b)[Math.floor(around.length / 2)]!;
    const thickness = Math.max(
      slices[k]?.series.sliceThicknessMm ?? 0,
      slices[k + 1]?.series.sliceThicknessMm ?? 0,
    );
    if (step > 1.5 * local && step > thickness * 1.01)
      out.push(
        `gap of ${step.toFixed(2)} mm between slices ${k + 1} and ${k + 2} ` +
          `(neighbouring slices are ${local.toFixed(2)} mm apart): ` +
          `about ${Math.max(1, Math.round(step / local) - 1)} missing slice(s)`,
      );
  });
  return out;
}
