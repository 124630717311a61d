/**
 * Extra-axial collections against the inner table of the skull. The inner table is found by
 * marching rays from the head centre through the intracranial prior (a radius per direction).
 * Subdural: a crescent that follows the skull curvature over a large convexity patch, thickest
 * in the middle, never crossing the midline (falx); a quarter of those ≥ 8 mm thick are
 * subacute (isodense). Epidural: a biconvex lens of limited extent
 * (it does not cross sutures), thicker and more focal. Both end where they thin to 2 mm.
 */
import { type Vec3, normalize } from '../../core/vec.js';
import type { Rng } from '../../core/random.js';
import { type LesionContext, type PlacedLesion } from './ct-lesion-context.js';
import { CODE, paintBox } from './ct-scene.js';

const CENTRE: Vec3 = [0, 15, 15];
const STEP_DEG = 2;
const N_EL = 180 / STEP_DEG + 1;
const N_AZ = 360 / STEP_DEG;
/** Thinnest subacute SDH drawn (mm at its thickest point). */
const SUBACUTE_MIN_THICK_MM = 8;
/**
 * A collection ends where it thins to this (mm): thinner tails lie within the partial-volume band
 * of the inner table on thick-slice CT (about one voxel of the 2-mm model grid), show no density
 * of their own, and labelling them taught the model to paint that band on every normal scan.
 */
export const EDGE_MIN_THICK_MM = 2;

/**
 * Thickness (mm) of an extra-axial collection at a fraction `t` (0 centre … 1 rim) of its angular
 * extent: a subdural thins as (1 − t²)^0.8, an epidural (lens) as √(1 − t²); 0 where it would be
 * thinner than EDGE_MIN_THICK_MM (the collection ends there). Pure.
 */
export function extraAxialThicknessMm(type: 'SDH' | 'EDH', thickMm: number, t: number): number {
  if (!(t < 1)) return 0;
  const profile = type === 'EDH' ? Math.sqrt(1 - t * t) : Math.pow(1 - t * t, 0.8);
  const local = thickMm * profile;
  return local >= EDGE_MIN_THICK_MM ? local : 0;
}

/** Radius (mm) from CENTRE to the inner table, per (elevation, azimuth) on a 2° table. */
function innerTableRadii(ctx: LesionContext): Float32Array {
  const radii = new Float32Array(N_EL * N_AZ);
  for (let e = 0; e < N_EL; e++) {
    const el = ((e * STEP_DEG - 90) * Math.PI) / 180;
    for (let a = 0; a < N_AZ; a++) {
      const az = (a * STEP_DEG * Math.PI) / 180;
      const d: Vec3 = [Math.cos(el) * Math.sin(az), -Math.cos(el) * Math.cos(az), Math.sin(el)];
      let r = 20;
      while (
        r < 120 &&
        ctx.intracranial(CENTRE[0] + d[0] * r, CENTRE[1] + d[1] * r, CENTRE[2] + d[2] * r) > 0.5
      )
        r += 0.5;
      radii[e * N_AZ + a] = r;
    }
  }
  return radii;
}

function radiusAt(radii: Float32Array, d: Vec3): number {
  const el = (Math.asin(Math.max(-1, Math.min(1, d[2]))) * 180) / Math.PI;
  let az = (Math.atan2(d[0], -d[1]) * 180) / Math.PI;
  if (az < 0) az += 360;
  const e = Math.min(N_EL - 1, Math.round((el + 90) / STEP_DEG));
  const a = Math.round(az / STEP_DEG) % N_AZ;
  return radii[e * N_AZ + a]!;
}

export function placeExtraAxial(
  rng: Rng,
  ctx: LesionContext,
  type: 'SDH' | 'EDH',
  radiiCache: { radii?: Float32Array },
): PlacedLesion | undefined {
  const radii = (radiiCache.radii ??= innerTableRadii(ctx));
  const side = rng.chance(0.5) ? 1 : -1;
  // Azimuth from anterior (0°) round the side; elevation above the skull base.
  const az = ((type === 'EDH' ? rng.uniform(50, 130) : rng.uniform(35, 145)) * Math.PI) / 180;
  const el = ((type === 'EDH' ? rng.uniform(-5, 35) : rng.uniform(5, 45)) * Math.PI) / 180;
  const axis: Vec3 = normalize([
    side * Math.cos(el) * Math.sin(az),
    -Math.cos(el) * Math.cos(az),
    Math.sin(el),
  ]);
  const maxAngle = ((type === 'EDH' ? rng.uniform(14, 30) : rng.uniform(35, 70)) * Math.PI) / 180;
  const thickMm =
    type === 'EDH' ? rng.uniform(6, 30) : Math.exp(rng.uniform(Math.log(3), Math.log(22)));
  // Subacute (isodense) only when thick: a thin isodense crescent is invisible on CT (no
  // density, no mass effect), and labelling one teaches "any cortex against the inner
  // table is subdural". The draw is kept for every SDH so the random stream is unchanged.
  const subacute = type === 'SDH' && rng.chance(0.25) && thickMm >= SUBACUTE_MIN_THICK_MM;
  const cosMax = Math.cos(maxAngle);
  const reach = 110;
  const painted = paintBox(
    ctx.scene,
    [side > 0 ? 0 : -reach, CENTRE[1] - reach, CENTRE[2] - 60],
    [side > 0 ? reach : 0, CENTRE[1] + reach, CENTRE[2] + reach],
    (x, y, z) => {
      if (side * x < 1.5) return 0;
      const px = x - CENTRE[0];
      const py = y - CENTRE[1];
      const pz = z - CENTRE[2];
      const r = Math.sqrt(px * px + py * py + pz * pz);
      if (r < 20) return 0;
      const c = (px * axis[0] + py * axis[1] + pz * axis[2]) / r;
      if (c <= cosMax) return 0;
      if (ctx.intracranial(x, y, z) < 0.5) return 0;
      const depth = radiusAt(radii, [px / r, py / r, pz / r]) - r;
      if (depth < -1) return 0;
      const local = extraAxialThicknessMm(type, thickMm, Math.acos(Math.min(1, c)) / maxAngle);
      return local > 0 && depth <= local ? (type === 'EDH' ? CODE.EDH : CODE.SDH) : 0;
    },
    (old) => old === 0 || old === CODE.SAH,
  );
  if (painted === 0) return undefined;
  const rMid = radiusAt(radii, axis) - thickMm / 2;
  return {
    label: type === 'EDH' ? CODE.EDH : CODE.SDH,
    kind: type === 'EDH' ? 'EDH' : subacute ? 'SDH subacute' : 'SDH acute',
    plannedVolumeMl: painted / 1000,
    paintedMl: painted / 1000,
    centreMm: [CENTRE[0] + axis[0] * rMid, CENTRE[1] + axis[1] * rMid, CENTRE[2] + axis[2] * rMid],
  };
}
