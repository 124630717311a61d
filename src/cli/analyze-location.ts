/**
 * The "where" of an analyze report: affine registration of the scan to its template (head CT →
 * the CT template, DWI → MNI 2009a), lesion localisation on the lobe and arterial-territory
 * atlases, and for haemorrhage ABC/2 and midline shift; then the one-line summary. A failed
 * registration is reported (a warning, `location: null`), never used.
 */
import type { Geometry } from '../core/geometry.js';
import type { Volume } from '../core/volume.js';
import { dataRoot } from '../io/data-root.js';
import { loadBrainMask, loadLobeAtlas, loadTerritoryAtlas } from '../io/reference-data.js';
import { loadRegistrationTemplate } from '../io/registration-templates.js';
import { abcOverTwo } from '../pipeline/abc-over-two.js';
import { findingSummary } from '../pipeline/finding-summary.js';
import { localiseLesions } from '../pipeline/localise-lesions.js';
import { lowAdcVolume } from '../pipeline/low-adc-volume.js';
import { normaliseAdc } from '../preprocess/diffusion-maps.js';
import { MIDLINE_METHOD, measureMidlineShift } from '../pipeline/midline-shift.js';
import { type RegistrationResult, registerToTemplate } from '../registration/register-affine.js';
import { type NativeMask, intracranialRegion } from '../pipeline/intracranial-mask.js';
import { prepareTemplate } from '../registration/template-image.js';
import type { ReportExtras } from './analyze-report.js';

export interface LocateOptions {
  readonly task: 'ich' | 'infarct';
  /** The model's input images on their native grids; the first is registered. */
  readonly images: readonly Volume[];
  readonly labelsNative: Uint8Array;
  readonly native: Geometry;
  readonly labelNames: Readonly<Record<number, string>>;
  readonly volumesMl: Readonly<Record<string, number>>;
  readonly totalLesionMl: number;
  readonly lesionCount: number;
  /** The triage decision (the summary calls sub-threshold regions candidates). */
  readonly positive: boolean;
  readonly data?: string;
  /** The registration of the first image (`registerStudy`), done before inference. */
  readonly registered: Registered;
}

export interface Registered {
  readonly reg: RegistrationResult;
  readonly registrationMs: number;
}

/** Registers the first image to the task's template (CT or MR) for the brain mask and location. */
export function registerStudy(options: {
  task: 'ich' | 'infarct';
  image: Volume;
  data?: string;
}): Registered {
  const t0 = performance.now();
  const kind = options.task === 'ich' ? 'ct' : 'mr';
  const templateImage = loadRegistrationTemplate(dataRoot(options.data), kind);
  const template = prepareTemplate({ image: templateImage.image, name: templateImage.name, kind });
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
  data?: string;
}): NativeMask | undefined {
  const { reg } = options.registered;
  if (!reg.ok) return undefined;
  return intracranialRegion({
    geometry: options.geometry,
    patientToTemplate: reg.patientToTemplate,
    brainMask: loadBrainMask(dataRoot(options.data)),
  });
}

export interface Located {
  readonly extras: ReportExtras;
  readonly warnings: string[];
  readonly timingsMs: { readonly registration: number; readonly localisation: number };
}

export function locateFindings(options: LocateOptions): Located {
  const root = dataRoot(options.data);
  const warnings: string[] = [];
  const { reg, registrationMs } = options.registered;
  const registration = {
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
  let location: ReportExtras['location'] = null;
  // The lobe atlas (0.5 s to read: float64 on disk) only when something needs it.
  const needsLobes = reg.ok && (options.lesionCount > 0 || options.task === 'infarct');
  const lobes = needsLobes ? loadLobeAtlas(root) : undefined;
  if (reg.ok) {
    const found =
      lobes && options.lesionCount > 0
        ? localiseLesions({
            labels: options.labelsNative,
            geometry: options.native,
            labelNames: options.labelNames,
            patientToTemplate: reg.patientToTemplate,
            lobes,
            territories: loadTerritoryAtlas(root),
          })
        : { lesions: [], total: null };
    location = {
      registration,
      lesions: found.lesions.map((l) => ({
        ...l,
        labels: [...l.labels],
        structures: [...l.structures],
        territories: [...l.territories],
        subTerritories: [...l.subTerritories],
        centreMm: [...l.centreMm],
        templateCentreMm: [...l.templateCentreMm],
      })),
      total: found.total && {
        ...found.total,
        labels: [...found.total.labels],
        structures: [...found.total.structures],
        territories: [...found.total.territories],
        subTerritories: [...found.total.subTerritories],
      },
    };
  }
  let haemorrhage: ReportExtras['haemorrhage'];
  if (options.task === 'ich') {
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
  let infarct: ReportExtras['infarct'];
  const adc = options.images[1];
  if (options.task === 'infarct' && lobes && adc) {
    const low = lowAdcVolume({
      adc: normaliseAdc(adc),
      patientToTemplate: reg.patientToTemplate,
      lobes,
      brainMask: loadBrainMask(root),
    });
    infarct = {
      lowAdcMl: low.volumeMl,
      lowAdcLargestComponentMl: low.largestComponentMl,
      lowAdcThresholdMm2PerS: low.thresholdMm2PerS,
    };
  }
  const summary = findingSummary({
    task: options.task,
    totalLesionMl: options.totalLesionMl,
    lesionCount: options.lesionCount,
    volumesMl: options.volumesMl,
    positive: options.positive,
    ...(location && {
      localisation: { lesions: location.lesions, total: location.total },
    }),
  });
  return {
    extras: { summary, location, ...(haemorrhage && { haemorrhage }), ...(infarct && { infarct }) },
    warnings,
    timingsMs: {
      registration: Math.round(registrationMs),
      localisation: Math.round(performance.now() - t1),
    },
  };
}
