/**
 * The "where" of an analysis: affine registration of the first image to the task's template
 * (head CT → the CT template, DWI → MNI 2009a), the brain mask through it, lesion localisation
 * on the lobe and arterial-territory atlases, the task's extra measurements (ABC/2 and midline
 * shift for haemorrhage; the low-ADC yardstick for infarct), then the one-line summary. A failed
 * registration is reported (a warning, `location: null`), never used. Templates and atlases come
 * from `Resources` (loaded once per process).
 */
import type { Geometry } from '../core/geometry.js';
import type { Volume } from '../core/volume.js';
import { normaliseAdc } from '../preprocess/diffusion-maps.js';
import { type RegistrationResult, registerToTemplate } from '../registration/register-affine.js';
import { abcOverTwo } from './abc-over-two.js';
import { findingSummary } from './finding-summary.js';
import { type NativeMask, intracranialRegion } from './intracranial-mask.js';
import { type Localisation, localiseLesions } from './localise-lesions.js';
import { lowAdcVolume } from './low-adc-volume.js';
import { MIDLINE_METHOD, measureMidlineShift } from './midline-shift.js';
import type { Resources } from './resources.js';
import type { TaskSpec } from './task-spec.js';

export interface Registered {
  readonly reg: RegistrationResult;
  readonly registrationMs: number;
}

/** Registers the first image to the task's template, for the brain mask and location. */
export function registerStudy(options: {
  spec: TaskSpec;
  image: Volume;
  resources: Resources;
}): Registered {
  const t0 = performance.now();
  const template = options.resources.template(options.spec.templateKind);
  const reg = registerToTemplate({ patient: options.image, template });
  return { reg, registrationMs: performance.now() - t0 };
}

/**
 * The brain mask on the native grid (template brain mask + 8 mm, through the registration), or
 * undefined when the registration was not accepted.
 */
export function brainMaskFor(options: {
  registered: Registered;
  geometry: Geometry;
  resources: Resources;
}): NativeMask | undefined {
  const { reg } = options.registered;
  if (!reg.ok) return undefined;
  return intracranialRegion({
    geometry: options.geometry,
    patientToTemplate: reg.patientToTemplate,
    brainMask: options.resources.brainMask(),
  });
}

export interface RegistrationSummary {
  readonly template: string;
  readonly ok: boolean;
  readonly metric: string;
  readonly quality: number;
  readonly threshold: number;
  readonly failureReason?: string;
  /** 4×4 row-major, LPS mm, rounded to 1e-5. */
  readonly patientToTemplate: readonly number[];
  readonly timeMs: number;
}

export interface FindingsLocation extends Localisation {
  readonly registration: RegistrationSummary;
}

export interface Findings {
  /** One line, e.g. "Acute infarct, 12.4 mL in 3 lesions, right MCA territory". */
  readonly summary: string;
  /** null when the registration was not accepted. */
  readonly location: FindingsLocation | null;
  readonly haemorrhage?: {
    readonly abcOver2Ml: number;
    readonly midlineShiftMm: number | null;
    readonly midlineShiftMethod: string;
  };
  readonly infarct?: {
    readonly lowAdcMl: number;
    readonly lowAdcLargestComponentMl: number;
    readonly lowAdcThresholdMm2PerS: number;
  };
}

export interface LocateOptions {
  readonly spec: TaskSpec;
  /** The model's input images on their native grids; the first was registered. */
  readonly images: readonly Volume[];
  readonly labelsNative: Uint8Array;
  readonly native: Geometry;
  readonly volumesMl: Readonly<Record<string, number>>;
  readonly totalLesionMl: number;
  readonly lesionCount: number;
  /** The triage decision (the summary calls sub-threshold regions candidates). */
  readonly positive: boolean;
  /** The registration of the first image (`registerStudy`), done before inference. */
  readonly registered: Registered;
  readonly resources: Resources;
}

export interface Located {
  readonly findings: Findings;
  readonly warnings: string[];
  readonly timingsMs: { readonly registration: number; readonly localisation: number };
}

export function locateFindings(options: LocateOptions): Located {
  const { spec, resources } = options;
  const warnings: string[] = [];
  const { reg, registrationMs } = options.registered;
  const registration: RegistrationSummary = {
    template: reg.template,
    ok: reg.ok,
    metric: reg.quality.metric,
    quality: Math.round(reg.quality.score * 1000) / 1000,
    threshold: reg.quality.minScore,
    ...(reg.failureReason !== undefined && { failureReason: reg.failureReason }),
    patientToTemplate: reg.patientToTemplate.map((x) => Math.round(x * 1e5) / 1e5),
    timeMs: Math.round(registrationMs),
  };
  if (!reg.ok)
    warnings.push(
      `registration to ${reg.template} failed (${reg.failureReason ?? 'quality too low'}): no brain mask is applied and no location is reported`,
    );
  const t1 = performance.now();
  let location: FindingsLocation | null = null;
  // The lobe atlas only when something needs it (the low-ADC yardstick always does).
  const needsLobes = reg.ok && (options.lesionCount > 0 || spec.lowAdcYardstick);
  const lobes = needsLobes ? resources.lobeAtlas() : undefined;
  if (reg.ok) {
    const found =
      lobes && options.lesionCount > 0
        ? localiseLesions({
            labels: options.labelsNative,
            geometry: options.native,
            labelNames: spec.labels,
            patientToTemplate: reg.patientToTemplate,
            lobes,
            territories: resources.territoryAtlas(),
          })
        : { lesions: [], total: null };
    location = { registration, lesions: found.lesions, total: found.total };
  }
  let haemorrhage: Findings['haemorrhage'];
  if (spec.haemorrhageMeasures) {
    const abc = abcOverTwo({ labels: options.labelsNative, geometry: options.native });
    const ct = options.images[0]!;
    const shift = reg.ok
      ? measureMidlineShift({ ct, templateToPatient: reg.templateToPatient })
      : undefined;
    if (reg.ok && shift?.shiftMm === null)
      warnings.push(
        `midline shift not measurable: the septum pellucidum was found on ${shift.lines} lines only`,
      );
    haemorrhage = {
      abcOver2Ml: abc?.volumeMl ?? 0,
      midlineShiftMm: shift?.shiftMm ?? null,
      midlineShiftMethod: MIDLINE_METHOD,
    };
  }
  let infarct: Findings['infarct'];
  const adc = options.images[1];
  if (spec.lowAdcYardstick && lobes && adc) {
    const low = lowAdcVolume({
      adc: normaliseAdc(adc),
      patientToTemplate: reg.patientToTemplate,
      lobes,
      brainMask: resources.brainMask(),
    });
    infarct = {
      lowAdcMl: low.volumeMl,
      lowAdcLargestComponentMl: low.largestComponentMl,
      lowAdcThresholdMm2PerS: low.thresholdMm2PerS,
    };
  }
  const summary = findingSummary({
    task: spec.task,
    totalLesionMl: options.totalLesionMl,
    lesionCount: options.lesionCount,
    volumesMl: options.volumesMl,
    positive: options.positive,
    ...(location && {
      localisation: { lesions: location.lesions, total: location.total },
    }),
  });
  return {
    findings: {
      summary,
      location,
      ...(haemorrhage && { haemorrhage }),
      ...(infarct && { infarct }),
    },
    warnings,
    timingsMs: {
      registration: Math.round(registrationMs),
      localisation: Math.round(performance.now() - t1),
    },
  };
}
