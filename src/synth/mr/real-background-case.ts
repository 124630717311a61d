/**
 * Synthetic infarcts implanted into a REAL normal diffusion scan, physically consistently:
 * from the scan's own S0 (b0) and ADC, lesions are made by editing the diffusivity (and S0 for
 * T2 effects, kurtosis) where real SOOP infarct masks, embolic dots and lacunes land after
 * registration to MNI; then the DWI is re-made at a drawn b-value with diffusion kurtosis
 * (S = S0·exp(−b·D + b²·D²·K/6), diffusion-kurtosis.ts), Rician noise is added to
 * both images and the ADC is recomputed from the two noisy images like a scanner does. Nothing
 * is pasted as a brightness, so "bright on DWI" is only ever the physics of a low ADC or a high S0.
 *
 * Unlabelled mimics make "bright on DWI" alone never enough: T2 shine-through (S0 up, ADC normal
 * or up) beside every mildly restricted lesion and in a share of the negatives, and old
 * infarcts (ADC up, S0 up). Lesions are confined to parenchyma (the scan's own ADC below CSF
 * values), so registration error does not paint infarct into a ventricle. Pure: everything
 * random comes from `seed`.
 */
import { type Geometry, voxelCount } from '../../core/geometry.js';
import { createLabelMap } from '../../core/label-map.js';
import { createRng, type Rng } from '../../core/random.js';
import type { Mat4 } from '../../core/vec.js';
import { type Volume, createVolume } from '../../core/volume.js';
import type { InfarctShapeLibrary, MrAnatomy, TerritoryAtlas } from '../resources.js';
import { type TemplateMap, mapToTemplate, sampleNearest } from '../sampling.js';
import { INFARCT_LABELS, type SynthCase, type SynthLesion } from '../synth-case.js';
import { addRicianNoise } from './mr-artefacts.js';
import { diffusivityFromApparent, kurtosisSignal } from './diffusion-kurtosis.js';
import { planInfarctLesions } from './mr-lesions.js';
import type { MrTemplateTissue } from './mr-template-tissue.js';
import { sampleScalar } from './template-sampler.js';

/** A real normal diffusion scan prepared as a background: S0, ADC, b-value, registration. */
export interface DiffusionBackground {
  /** Where it came from, e.g. 'dicom/dwi-philips-b1000' (names the scanner, for hold-outs). */
  readonly name: string;
  /** Unweighted signal S0 on the scan's native grid. */
  readonly s0: Volume<Float32Array>;
  /** ADC in 10⁻⁶ mm²/s on the same grid. */
  readonly adc1e6: Float32Array;
  /**
   * The scan's own trace DWI at `bValue`, as acquired (what `analyze` reads), on the same grid.
   * Absent: only re-made cases can be drawn from this background.
   */
  readonly trace?: Float32Array;
  /** The b-value its trace was acquired at (s/mm²). */
  readonly bValue: number;
  /** 4×4 row-major, native LPS mm → MNI template LPS mm (affine registration). */
  readonly patientToTemplate: Mat4;
}

export interface RealBackgroundResources {
  readonly mr: MrAnatomy;
  readonly tissue: MrTemplateTissue;
  readonly territories: TerritoryAtlas;
  readonly infarctShapes: InfarctShapeLibrary;
}

export interface RealBackgroundCaseOptions {
  readonly id: string;
  readonly seed: number;
  /** true: no lesion (mimics only); false: at least one lesion. */
  readonly negative: boolean;
  /**
   * 'remake' (default): the DWI is re-made from S0 and ADC at a drawn b-value with added noise.
   * 'as-acquired': the scan's own trace and ADC are kept, artefacts, noise and all, and only
   * where a lesion or mimic lands are they edited (DWI × S0 gain × exp(−b·ΔADC) at the scan's
   * own b-value): the images `analyze` reads, so the real scan itself is a training negative.
   */
  readonly acquisition?: 'remake' | 'as-acquired';
}

/** Parenchyma weight from the scan's own ADC: 1 below 1,200, 0 above 1,700 (CSF) or below 150. */
function parenchymaWeight(adc1e6: number): number {
  if (!(adc1e6 > 150)) return 0;
  return Math.min(1, Math.max(0, (1700 - adc1e6) / 500));
}

/** Template position of every native voxel through the registration (4×4 row-major). */
function templatePositions(grid: Geometry, t: Mat4): TemplateMap {
  return mapToTemplate(grid, {
    toTemplate: ([x, y, z]) => [
      t[0]! * x + t[1]! * y + t[2]! * z + t[3]!,
      t[4]! * x + t[5]! * y + t[6]! * z + t[7]!,
      t[8]! * x + t[9]! * y + t[10]! * z + t[11]!,
    ],
  });
}

/** Mean of a template-space map over the native slab (partial volume across thick slices). */
function slabMean(
  source: Volume,
  map: TemplateMap,
  normal: readonly number[],
  thicknessMm: number,
) {
  const n = map.positionsMm.length / 3;
  const out = new Float32Array(n);
  const tmp = new Float32Array(n);
  const offsets = [-thicknessMm / 3, 0, thicknessMm / 3];
  for (const off of offsets) {
    sampleScalar(
      source,
      map.positionsMm,
      [off * normal[0]!, off * normal[1]!, off * normal[2]!],
      tmp,
    );
    for (let v = 0; v < n; v++) out[v] = out[v]! + tmp[v]! / offsets.length;
  }
  return out;
}

interface Appearance {
  /** Lesion ADC / the same tissue's ADC at full severity, per lesion number (1-based index − 1). */
  readonly adcRatio: number[];
  /** S0 gain at full severity (T2 effect; ~0 hyperacute … 1.2 early subacute; drawT2Gain). */
  readonly t2Gain: number;
  /** Kurtosis gain at full severity. */
  readonly kurtosisGain: number;
}

/**
 * S0 gain of an infarct at full severity, by the lesion's age: hyperacute (minutes to ~6 h;
 * 30 %) 0–0.15, acute (40 %) 0.15–0.6, early subacute (30 %) 0.6–1.2 (vasogenic oedema). With
 * the ADC drop this spans a DWI lesion / surrounding-tissue ratio of ~1.2–2.8 at b 1000. Until
 * 0.4.0 the gain was 0 in 40 % of cases and at most 0.6: implants on the real backgrounds came
 * out at ratios of 1.11–1.55 (median by scanner), while a real ISLES'22 infarct measures 2.15
 * against its surroundings at the same ADC ratio (0.69; docs/models.md): most of a real lesion's
 * brightness is T2, and a model trained on faint implants learns that faint is a lesion.
 */
function drawT2Gain(rng: Rng): number {
  const stage = rng.uniform(0, 1);
  if (stage < 0.3) return rng.uniform(0, 0.15);
  if (stage < 0.7) return rng.uniform(0.15, 0.6);
  return rng.uniform(0.6, 1.2);
}

function drawAppearance(rng: Rng, lesions: readonly SynthLesion[]): Appearance {
  const caseRatio = rng.uniform(0.45, 0.85);
  const adcRatio = lesions.map((l) =>
    // small embolic lesions are often only mildly restricted
    l.kind === 'embolic dot'
      ? rng.uniform(0.55, 0.88)
      : Math.min(0.9, Math.max(0.4, caseRatio * rng.uniform(0.9, 1.1))),
  );
  return {
    adcRatio,
    t2Gain: drawT2Gain(rng),
    // acute infarcts raise kurtosis (~1.2–1.5× of the same tissue)
    kurtosisGain: rng.uniform(0, 0.5),
  };
}

/**
 * The acquired trace and ADC with the lesion and mimic edits applied at the scan's own b-value:
 * S0 by its gain, the apparent ADC by the diffusivity's ratio, the DWI by S0 gain ×
 * exp(−b·ΔADC). Untouched voxels keep their acquired values exactly.
 */
function editAcquired(
  background: DiffusionBackground,
  edits: { s0: Float32Array; d: Float32Array; d0: Float32Array },
): { dwi: Float32Array; adc1e6: Float32Array } {
  const trace = background.trace!;
  const dwi = Float32Array.from(trace);
  const adc1e6 = Float32Array.from(background.adc1e6);
  const s0Ref = background.s0.data;
  for (let v = 0; v < dwi.length; v++) {
    const d0 = edits.d0[v]!;
    const s0Gain = s0Ref[v]! > 0 ? edits.s0[v]! / s0Ref[v]! : 1;
    const dRatio = d0 > 0 ? edits.d[v]! / d0 : 1;
    if (s0Gain === 1 && dRatio === 1) continue;
    const adcNew = adc1e6[v]! * dRatio;
    dwi[v] = trace[v]! * s0Gain * Math.exp(-background.bValue * (adcNew - adc1e6[v]!) * 1e-6);
    adc1e6[v] = adcNew;
  }
  return { dwi, adc1e6 };
}

export function synthesizeRealBackgroundCase(
  resources: RealBackgroundResources,
  background: DiffusionBackground,
  options: RealBackgroundCaseOptions,
): SynthCase {
  const rng = createRng(options.seed);
  const grid = background.s0.geometry;
  const n = voxelCount(grid);
  const map = templatePositions(grid, background.patientToTemplate);
  const t = background.patientToTemplate;
  const dir = grid.direction;
  // slice normal in template space (the registration's linear part applied to the k axis)
  const nk = [dir[2], dir[5], dir[8]] as const;
  const normalT = [0, 1, 2].map(
    (r) => t[4 * r]! * nk[0] + t[4 * r + 1]! * nk[1] + t[4 * r + 2]! * nk[2],
  );
  const len = Math.hypot(normalT[0]!, normalT[1]!, normalT[2]!);
  const normal = normalT.map((x) => x / len);
  const thickness = grid.spacingMm[2];

  const common = {
    mr: resources.mr,
    tissue: resources.tissue,
    territories: resources.territories,
    infarctShapes: resources.infarctShapes,
  };
  const plan = planInfarctLesions({
    rng: rng.fork('lesions'),
    ...common,
    plan: { negative: options.negative },
  });
  const weight = new Float32Array(n);
  for (let v = 0; v < n; v++) weight[v] = parenchymaWeight(background.adc1e6[v]!);

  // Lesions: label where the lesion index lands in parenchyma; severity = slab-mean occupancy.
  const label = new Uint8Array(n);
  const lesionOf = plan.index ? sampleNearest(plan.index, map) : new Uint8Array(n);
  const severity = plan.severity ? slabMean(plan.severity, map, normal, thickness) : undefined;
  const appearance = drawAppearance(rng.fork('appearance'), plan.lesions);
  const s0 = Float32Array.from(background.s0.data);
  // The scan's apparent ADC at its own b → diffusivity D and kurtosis K (tissue ~0.6–1.1, CSF 0),
  // so that re-making it at another b-value brightens grey matter and cerebellum at high b as
  // real scans do; lesions and mimics edit D (and K), not the apparent ADC of one b-value.
  const kTissue = rng.fork('kurtosis').uniform(0.6, 1.1);
  const kurtosis = new Float32Array(n);
  const adc = new Float32Array(n); // D in 10⁻⁶ mm²/s
  for (let v = 0; v < n; v++) {
    kurtosis[v] = kTissue * weight[v]!;
    adc[v] =
      diffusivityFromApparent(background.adc1e6[v]! * 1e-6, background.bValue, kurtosis[v]!) * 1e6;
  }
  const d0 = Float32Array.from(adc);
  if (severity)
    for (let v = 0; v < n; v++) {
      const e = Math.min(1, severity[v]!) * weight[v]!;
      if (e <= 0.02) continue;
      const which = lesionOf[v]! || 1;
      const ratio = appearance.adcRatio[which - 1] ?? appearance.adcRatio[0] ?? 0.6;
      adc[v] = adc[v]! * (1 - e * (1 - ratio));
      kurtosis[v] = kurtosis[v]! * (1 + e * appearance.kurtosisGain);
      s0[v] = s0[v]! * (1 + e * appearance.t2Gain);
      // labelled where the lesion fills a good part of the voxel: the whole lesion as an
      // expert outlines it (its heterogeneity does not cut holes), not its faint partial-volume rim
      if (weight[v]! > 0.5 && e >= (lesionOf[v] ? 0.3 : 0.5)) label[v] = 1;
    }

  // Mimics (unlabelled): T2 shine-through and old infarcts, shaped like real lesions.
  const mimics: string[] = [];
  const mildlyRestricted = appearance.adcRatio.some((r) => r > 0.78);
  if (mildlyRestricted || rng.chance(options.negative ? 0.6 : 0.3)) {
    const mimicPlan = planInfarctLesions({
      rng: rng.fork('mimic'),
      ...common,
      plan: { negative: false },
    });
    if (mimicPlan.severity) {
      const sev = slabMean(mimicPlan.severity, map, normal, thickness);
      const old = rng.chance(0.3);
      const s0Gain = old ? rng.uniform(0.2, 0.6) : rng.uniform(0.3, 1.0);
      const adcGain = old ? rng.uniform(0.5, 1.5) : rng.uniform(0, 0.3);
      for (let v = 0; v < n; v++) {
        const e = Math.min(1, sev[v]!) * weight[v]!;
        if (e <= 0.02 || label[v]) continue;
        s0[v] = s0[v]! * (1 + e * s0Gain);
        adc[v] = adc[v]! * (1 + e * adcGain);
      }
      mimics.push(
        old ? 'old infarct (ADC and S0 up)' : 'T2 shine-through (S0 up, ADC normal or up)',
      );
    }
  }

  const provenance = [
    {
      op: 'synthesize-real-background-case',
      params: {
        seed: options.seed,
        background: background.name,
        acquisition: options.acquisition ?? 'remake',
      },
    },
  ];
  const described = {
    id: options.id,
    seed: options.seed,
    task: 'infarct' as const,
    site: `real:${background.name}`,
    label: createLabelMap(grid, label, INFARCT_LABELS),
    templateMap: map,
    lesions: plan.lesions,
    mimics,
  };
  if (options.acquisition === 'as-acquired') {
    if (!background.trace) throw new Error(`${background.name}: no acquired trace to edit`);
    const edited = editAcquired(background, { s0, d: adc, d0 });
    return {
      ...described,
      images: {
        dwi: createVolume(grid, edited.dwi, {
          modality: 'MR',
          units: 'arbitrary',
          description: `DWI b${background.bValue} (real scan as acquired)`,
          provenance,
        }),
        adc: createVolume(grid, edited.adc1e6, {
          modality: 'MR',
          units: '1e-6 mm2/s',
          description: 'ADC (real scan as acquired)',
          provenance,
        }),
      },
      acquisition: {
        site: `real:${background.name}`,
        scenario: plan.scenario,
        territory: plan.territory ?? 'none',
        bValue: background.bValue,
        backgroundBValue: background.bValue,
        asAcquired: true,
        t2Gain: appearance.t2Gain,
        adcRatios: appearance.adcRatio,
        inPlaneSpacingMm: grid.spacingMm[0],
        sliceSpacingMm: grid.spacingMm[2],
      },
    };
  }

  // Re-acquire: DWI at a drawn b-value, Rician noise on both, ADC from the noisy pair.
  const acq = rng.fork('acquisition');
  const bValue = acq.chance(0.35) ? background.bValue : Math.round(acq.uniform(800, 2500));
  const brain: number[] = [];
  for (let v = 0; v < n; v += 7) if (weight[v]! > 0.9) brain.push(s0[v]!);
  brain.sort((a, b) => a - b);
  const s0Median = brain[brain.length >> 1] ?? 1;
  const extraSnr = Math.exp(acq.uniform(Math.log(12), Math.log(80)));
  const sb = new Float32Array(n);
  for (let v = 0; v < n; v++) sb[v] = kurtosisSignal(s0[v]!, adc[v]! * 1e-6, kurtosis[v]!, bValue);
  addRicianNoise(s0, s0Median / extraSnr, acq.fork('noise-b0'));
  addRicianNoise(sb, s0Median / extraSnr, acq.fork('noise-dwi'));
  const minSignal = 0.1 * s0Median;
  const adcOut = new Float32Array(n);
  for (let v = 0; v < n; v++) {
    // the scan's own ADC support (0 where its b0 had no signal), as a scanner masks it
    if (!(s0[v]! > minSignal) || !(background.adc1e6[v]! > 0)) continue;
    const x = (Math.log(s0[v]! / Math.max(sb[v]!, 1e-6)) / bValue) * 1e6;
    adcOut[v] = Math.min(5000, Math.max(0, x));
  }
  const dwiScale = Math.exp(acq.uniform(Math.log(0.2), Math.log(20)));
  for (let v = 0; v < n; v++) sb[v] = sb[v]! * dwiScale;

  return {
    ...described,
    images: {
      dwi: createVolume(grid, sb, {
        modality: 'MR',
        units: 'arbitrary',
        description: `DWI b${bValue} (real background)`,
        provenance,
      }),
      adc: createVolume(grid, adcOut, {
        modality: 'MR',
        units: '1e-6 mm2/s',
        description: 'ADC (real background)',
        provenance,
      }),
    },
    acquisition: {
      site: `real:${background.name}`,
      scenario: plan.scenario,
      territory: plan.territory ?? 'none',
      bValue,
      backgroundBValue: background.bValue,
      extraSnr,
      t2Gain: appearance.t2Gain,
      kurtosis: kTissue,
      adcRatios: appearance.adcRatio,
      inPlaneSpacingMm: grid.spacingMm[0],
      sliceSpacingMm: grid.spacingMm[2],
    },
  };
}
