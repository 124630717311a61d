/**
 * Normal head attenuation: tissue HU drawn per case (grey 35–45, white 25–35 with a visible
 * grey–white difference, CSF 0–15), atrophy (enlarged sulci and ventricles by morphing the CSF
 * prior), thinner sulci over the vertex than the averaged template has, gyri and sulci
 * (ct-gyri.ts) where the template's cortex is a smooth blur, and skull, scalp and air from the CT template (bone rescaled to 700–2000 HU with the
 * template's skull thickness).
 */
import type { Rng } from '../../core/random.js';

export interface TissueHu {
  readonly greyHu: number;
  readonly whiteHu: number;
  readonly csfHu: number;
  /** Atrophy: the non-CSF fraction is raised to 1/γ (γ < 1 enlarges sulci and ventricles). */
  readonly atrophyGamma: number;
  /** Gain applied to template bone above 200 HU. */
  readonly boneGain: number;
  /** Offset added to template soft tissue (scalp, muscle). */
  readonly softTissueOffsetHu: number;
  /**
   * Fraction of the template's CSF removed (given to grey matter) near the vertex: the averaged
   * template smears sulcal CSF over the top of the brain (60–90 % CSF), where a real brain shows
   * thin sulci between grey matter.
   */
  readonly vertexCsfThinning: number;
}

/** Height (template mm) where vertex CSF thinning starts, and where it reaches full strength. */
const VERTEX_CSF_FROM_MM = 30;
const VERTEX_CSF_FULL_MM = 55;

export function drawTissueHu(rng: Rng): TissueHu {
  const whiteHu = rng.uniform(25, 33);
  const greyHu = Math.min(45, Math.max(36, whiteHu + rng.uniform(7, 13)));
  const atrophy = rng.weightedIndex([0.45, 0.35, 0.2]);
  return {
    greyHu,
    whiteHu,
    csfHu: rng.uniform(2, 12),
    atrophyGamma:
      atrophy === 0 ? 1 : atrophy === 1 ? rng.uniform(0.7, 0.9) : rng.uniform(0.45, 0.7),
    boneGain: rng.uniform(1.6, 2.2),
    softTissueOffsetHu: rng.uniform(-30, -10),
    vertexCsfThinning: rng.uniform(0.3, 0.85),
  };
}

/** HU outside the brain from the template HU at that point. */
export function headHu(t: TissueHu, templateHu: number): number {
  if (templateHu > 200) return 200 + (templateHu - 200) * t.boneGain;
  if (templateHu > -150)
    return templateHu + t.softTissueOffsetHu * Math.min(1, (templateHu + 150) / 150);
  return templateHu;
}

/**
 * Brain HU from the tissue priors at a point (not normalised: g + w + c ≤ 1 is the
 * intracranial fraction) at template height `zMm`; returns the HU of the intracranial part.
 * `sulcus` (see ct-gyri.ts; −1…1) moves the grey/CSF mix of the cortical band towards CSF
 * (a sulcus) or grey matter (a gyrus), most where the mix is even.
 */
export function brainHu(
  t: TissueHu,
  g0: number,
  w: number,
  c0: number,
  zMm = 0,
  sulcus = 0,
): number {
  let g = g0;
  let c = c0;
  if (sulcus !== 0 && g + c > 1e-6) {
    const mix = g + c;
    const share = c / mix;
    // Same scale both ways, so a mean-zero `sulcus` keeps the band's CSF on average.
    c = (share + sulcus * Math.min(share, 1 - share)) * mix;
    g = mix - c;
  }
  if (zMm > VERTEX_CSF_FROM_MM && t.vertexCsfThinning > 0) {
    const ramp = Math.min(
      1,
      (zMm - VERTEX_CSF_FROM_MM) / (VERTEX_CSF_FULL_MM - VERTEX_CSF_FROM_MM),
    );
    // Thinning is for the template's smeared CSF, not for a sulcus drawn here.
    const moved = c * t.vertexCsfThinning * ramp * (1 - Math.max(0, sulcus));
    c -= moved;
    g += moved;
  }
  const s = g + w + c;
  if (s < 1e-3) return t.csfHu;
  let fc = c / s;
  if (t.atrophyGamma < 0.999 && fc > 0) fc = 1 - Math.pow(1 - fc, 1 / t.atrophyGamma);
  const gw = g + w;
  const fg = gw > 1e-6 ? ((1 - fc) * g) / gw : 0;
  const fw = gw > 1e-6 ? ((1 - fc) * w) / gw : 0;
  return fg * t.greyHu + fw * t.whiteHu + fc * t.csfHu;
}
