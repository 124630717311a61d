/**
 * Named scanner profiles ("sites"): the ranges from which each case's acquisition and
 * appearance are drawn, so that hospitals with different scanners can be simulated. One
 * profile per modality is reserved as the held-out "external" site: never used for training,
 * only to measure how a model copes with a scanner it has not seen.
 */

export type Range = readonly [number, number];

export interface CtSiteProfile {
  readonly name: string;
  readonly description: string;
  readonly external: boolean;
  /** In-plane pixel spacing, mm (matrix 512 × 512 in practice). */
  readonly inPlaneSpacingMm: Range;
  readonly sliceThicknessMm: Range;
  /** Probability of a tilted gantry, and its range in degrees. */
  readonly tiltProbability: number;
  readonly tiltDeg: Range;
  /** Standard deviation of quantum noise in brain, HU. */
  readonly noiseHu: Range;
  /** Reconstruction kernel: noise correlation and edge sharpness. */
  readonly kernel: 'soft' | 'standard' | 'sharp';
  /** Calibration offset of water/brain, HU. */
  readonly huOffset: Range;
  /** Strength of beam hardening (cupping / dark bands near the skull base), HU. */
  readonly beamHardeningHu: Range;
  /** Probability of streak artefacts (metal, motion). */
  readonly streakProbability: number;
  /**
   * Brightening of the brain under the vertex, HU at the top of the brain (partial volume of the
   * tangentially cut skull and beam hardening: real thick-slice CTs read 40–60 HU there).
   */
  readonly vertexBrighteningHu: Range;
}

export interface MrSiteProfile {
  readonly name: string;
  readonly description: string;
  readonly external: boolean;
  readonly fieldT: number;
  /** b-value of the diffusion-weighted image, s/mm². */
  readonly bValue: Range;
  readonly inPlaneSpacingMm: Range;
  readonly sliceThicknessMm: Range;
  /** Gap between slices, mm. */
  readonly sliceGapMm: Range;
  /** Signal-to-noise of brain on b0 (Rician noise sd = brain signal / snr). */
  readonly snr: Range;
  /** Peak relative strength of the smooth receive-coil bias field. */
  readonly biasStrength: Range;
  /** Peak EPI distortion along the phase-encoding axis near the skull base, mm. */
  readonly epiDistortionMm: Range;
  /** Relative intensity of the N/2 ghost. */
  readonly ghosting: Range;
  /** How the scanner stores ADC. */
  readonly adcUnits: 'mm2/s' | '1e-3 mm2/s' | '1e-6 mm2/s';
  /** Scanner-to-scanner calibration of ADC (multiplicative). */
  readonly adcScale: Range;
  /** Arbitrary scale of stored DWI intensities. */
  readonly dwiScale: Range;
}

export const CT_SITES: readonly CtSiteProfile[] = [
  {
    name: 'ct-a-standard',
    description: '64-slice, 5 mm axial, standard kernel',
    external: false,
    inPlaneSpacingMm: [0.42, 0.5],
    sliceThicknessMm: [4.5, 5],
    tiltProbability: 0.1,
    tiltDeg: [5, 15],
    noiseHu: [3, 5],
    kernel: 'standard',
    huOffset: [-2, 2],
    beamHardeningHu: [3, 8],
    streakProbability: 0.1,
    vertexBrighteningHu: [5, 25],
  },
  {
    name: 'ct-b-tilted',
    description: 'older scanner, gantry tilt common, 3–5 mm',
    external: false,
    inPlaneSpacingMm: [0.45, 0.55],
    sliceThicknessMm: [3, 5],
    tiltProbability: 0.8,
    tiltDeg: [10, 25],
    noiseHu: [4, 7],
    kernel: 'soft',
    huOffset: [-4, 3],
    beamHardeningHu: [6, 14],
    streakProbability: 0.2,
    vertexBrighteningHu: [10, 30],
  },
  {
    name: 'ct-c-thin',
    description: 'thin-slice helical reconstructions, 0.6–1.25 mm',
    external: false,
    inPlaneSpacingMm: [0.4, 0.47],
    sliceThicknessMm: [0.6, 1.25],
    tiltProbability: 0,
    tiltDeg: [0, 0],
    noiseHu: [6, 10],
    kernel: 'standard',
    huOffset: [-1, 3],
    beamHardeningHu: [2, 6],
    streakProbability: 0.05,
    vertexBrighteningHu: [0, 12],
  },
  {
    name: 'ct-d-sharp',
    description: 'sharp kernel, 2–3 mm',
    external: false,
    inPlaneSpacingMm: [0.43, 0.6],
    sliceThicknessMm: [2, 3],
    tiltProbability: 0.2,
    tiltDeg: [3, 12],
    noiseHu: [6, 9],
    kernel: 'sharp',
    huOffset: [0, 5],
    beamHardeningHu: [4, 10],
    streakProbability: 0.15,
    vertexBrighteningHu: [5, 20],
  },
  {
    // The older sequential protocol (e.g. 4–5 mm through the posterior fossa, 7–10 mm above
    // it), here as one stack of thick slices: the vertex of a 7-mm tilted slice holds inner
    // table, brain and partial volume of both — what our real GE head CT shows above the
    // tentorium, and what no other training site had.
    name: 'ct-e-sequential',
    description: 'sequential axial, 6–8 mm slices, gantry tilt common',
    external: false,
    inPlaneSpacingMm: [0.45, 0.5],
    sliceThicknessMm: [6, 8],
    tiltProbability: 0.7,
    tiltDeg: [10, 22],
    noiseHu: [3, 5],
    kernel: 'standard',
    huOffset: [-3, 3],
    beamHardeningHu: [4, 12],
    streakProbability: 0.1,
    vertexBrighteningHu: [10, 30],
  },
  {
    name: 'ct-external',
    description: 'held out: low-dose, noisy, offset calibration',
    external: true,
    inPlaneSpacingMm: [0.45, 0.6],
    sliceThicknessMm: [2.5, 5],
    tiltProbability: 0.4,
    tiltDeg: [5, 20],
    noiseHu: [8, 12],
    kernel: 'soft',
    huOffset: [-6, 6],
    beamHardeningHu: [8, 16],
    streakProbability: 0.3,
    vertexBrighteningHu: [10, 25],
  },
];

export const MR_SITES: readonly MrSiteProfile[] = [
  {
    name: 'mr-a-3t',
    description: '3 T, b1000, 4 mm, ADC in 10⁻⁶ mm²/s integers',
    external: false,
    fieldT: 3,
    bValue: [1000, 1000],
    inPlaneSpacingMm: [1.2, 1.8],
    sliceThicknessMm: [3.5, 4.5],
    sliceGapMm: [0, 0.4],
    snr: [25, 40],
    biasStrength: [0.1, 0.25],
    epiDistortionMm: [1, 4],
    ghosting: [0, 0.03],
    adcUnits: '1e-6 mm2/s',
    adcScale: [0.97, 1.03],
    dwiScale: [500, 2000],
  },
  {
    name: 'mr-b-1.5t',
    description: '1.5 T, b1000, 5 mm, lower SNR, ADC in mm²/s floats',
    external: false,
    fieldT: 1.5,
    bValue: [1000, 1000],
    inPlaneSpacingMm: [1.6, 2.2],
    sliceThicknessMm: [5, 6],
    sliceGapMm: [0.5, 1.5],
    // Down to 10 since 2026-12-05: with 15 as the floor of every training site, infarct-dwi
    // missed bright 2–10-voxel infarcts at b0 SNR 12–20 (docs/models.md).
    snr: [10, 25],
    biasStrength: [0.05, 0.2],
    epiDistortionMm: [0.5, 2.5],
    ghosting: [0, 0.05],
    adcUnits: 'mm2/s',
    adcScale: [0.95, 1.05],
    dwiScale: [50, 300],
  },
  {
    name: 'mr-c-3t-thin',
    description: '3 T, b1000, 3 mm, strong bias, ADC in 10⁻³ mm²/s',
    external: false,
    fieldT: 3,
    bValue: [1000, 1000],
    inPlaneSpacingMm: [0.9, 1.4],
    sliceThicknessMm: [3, 3.5],
    sliceGapMm: [0, 0.3],
    snr: [20, 35],
    biasStrength: [0.2, 0.4],
    epiDistortionMm: [2, 5],
    ghosting: [0.01, 0.04],
    adcUnits: '1e-3 mm2/s',
    adcScale: [0.97, 1.03],
    dwiScale: [1, 5],
  },
  {
    name: 'mr-d-b800',
    description: '1.5 T, b800, 5 mm, ADC in 10⁻⁶ mm²/s',
    external: false,
    fieldT: 1.5,
    bValue: [800, 900],
    inPlaneSpacingMm: [1.5, 2],
    sliceThicknessMm: [4.5, 5.5],
    sliceGapMm: [0.5, 1],
    snr: [12, 30], // 18–30 before 2026-12-05, as mr-b-1.5t
    biasStrength: [0.05, 0.15],
    epiDistortionMm: [1, 3],
    ghosting: [0, 0.03],
    adcUnits: '1e-6 mm2/s',
    adcScale: [0.95, 1.05],
    dwiScale: [200, 1000],
  },
  {
    name: 'mr-external',
    description: 'held out: 3 T, b1000, 5 mm, noisy, large distortion, ADC in mm²/s',
    external: true,
    fieldT: 3,
    bValue: [1000, 1000],
    inPlaneSpacingMm: [1.6, 2.4],
    sliceThicknessMm: [4, 6],
    sliceGapMm: [0, 1],
    snr: [12, 20],
    biasStrength: [0.15, 0.35],
    epiDistortionMm: [3, 6],
    ghosting: [0.02, 0.06],
    adcUnits: 'mm2/s',
    adcScale: [0.93, 1.07],
    dwiScale: [100, 800],
  },
];

/** Training sites of a task (the external one left out). */
export function trainingSites<T extends { external: boolean }>(sites: readonly T[]): T[] {
  return sites.filter((s) => !s.external);
}

export function findSite<T extends { name: string }>(
  sites: readonly T[],
  name: string,
): T | undefined {
  return sites.find((s) => s.name === name);
}
