/**
 * The scanner side of a case: acquisition and reconstruction parameters drawn from a site
 * profile (in-plane spacing, slice thickness, gantry tilt, kernel, noise, calibration offset,
 * beam hardening, streaks) and the output grid — the tilted axial acquisition stack, or an
 * isotropic axial grid when `gridSpacingMm` is given.
 */
import type { Geometry } from '../../core/geometry.js';
import type { Vec3 } from '../../core/vec.js';
import { acquisitionGrid } from '../acquisition-grid.js';
import type { Rng } from '../../core/random.js';
import type { CtSiteProfile } from '../sites.js';

export interface CtAcquisition {
  readonly grid: Geometry;
  readonly inPlaneSpacingMm: number;
  readonly sliceThicknessMm: number;
  readonly sliceSpacingMm: number;
  readonly tiltDeg: number;
  readonly fovMm: Vec3;
  readonly kernel: CtSiteProfile['kernel'];
  readonly noiseHu: number;
  readonly huOffset: number;
  readonly beamHardeningHu: number;
  readonly streaks: boolean;
  readonly vertexBrighteningHu: number;
}

/**
 * Largest acquisition grid rendered (512 × 512 × 40): thin-slice series longer than that are
 * written as thin slices with a gap (slice spacing > thickness), which keeps the thin-slice
 * appearance at a bounded cost.
 */
export const MAX_ACQUISITION_VOXELS = 512 * 512 * 40;

export function drawAcquisition(
  rng: Rng,
  options: { site: CtSiteProfile; headCentreMm: Vec3; gridSpacingMm?: number },
): CtAcquisition {
  const { site } = options;
  const u = (r: readonly [number, number]) => rng.uniform(r[0], r[1]);
  const inPlane = u(site.inPlaneSpacingMm);
  const thickness = u(site.sliceThicknessMm);
  const tiltDeg = rng.chance(site.tiltProbability) ? u(site.tiltDeg) : 0;
  const fovIn = Math.min(inPlane * 512, rng.uniform(220, 260));
  const fovZ = rng.uniform(150, 175);
  const centre: Vec3 = [
    options.headCentreMm[0] + rng.uniform(-8, 8),
    options.headCentreMm[1] + rng.uniform(-8, 8),
    options.headCentreMm[2] + rng.uniform(-8, 8),
  ];
  const params = {
    kernel: site.kernel,
    noiseHu: u(site.noiseHu),
    huOffset: u(site.huOffset),
    beamHardeningHu: u(site.beamHardeningHu),
    streaks: rng.chance(site.streakProbability),
    vertexBrighteningHu: u(site.vertexBrighteningHu),
  };
  if (options.gridSpacingMm !== undefined) {
    const s = options.gridSpacingMm;
    const fov: Vec3 = [190, 230, 190];
    return {
      grid: acquisitionGrid({
        centreMm: options.headCentreMm,
        fovMm: fov,
        inPlaneSpacingMm: s,
        sliceSpacingMm: s,
      }),
      inPlaneSpacingMm: s,
      sliceThicknessMm: s,
      sliceSpacingMm: s,
      tiltDeg: 0,
      fovMm: fov,
      ...params,
    };
  }
  const inPlaneCount = Math.round(fovIn / inPlane) ** 2;
  const minSpacing = (fovZ * inPlaneCount) / MAX_ACQUISITION_VOXELS;
  const sliceSpacing = Math.max(thickness, minSpacing);
  const fovMm: Vec3 = [fovIn, fovIn, fovZ];
  return {
    grid: acquisitionGrid({
      centreMm: centre,
      fovMm,
      inPlaneSpacingMm: inPlane,
      sliceSpacingMm: sliceSpacing,
      tiltDeg,
    }),
    inPlaneSpacingMm: inPlane,
    sliceThicknessMm: thickness,
    sliceSpacingMm: sliceSpacing,
    tiltDeg,
    fovMm,
    ...params,
  };
}
