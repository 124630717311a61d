/**
 * `report.json` from an `Analysis` (versioned, JSON-ready; schema in report-schema.ts). What the
 * pipeline does not know is given here: the input paths and the series picked, the caller's
 * timings (reading, writing) and the files written. `evaluate` reads `triage.score` and
 * `triage.positive` back.
 */
import type { Analysis } from '../pipeline/analyze-study.js';
import type { FindingsLocation } from '../pipeline/locate-findings.js';
import type { SeriesChoice } from '../pipeline/series-choice.js';
import { RESEARCH_NOTICE } from './notice.js';
import { type AnalyzeReport, REPORT_VERSION } from './report-schema.js';

export { type AnalyzeReport, REPORT_VERSION } from './report-schema.js';

export interface BuildReportOptions {
  /** The paths the user gave. */
  readonly paths: readonly string[];
  /** The series picked (select-inputs.ts): description in words, ids, warnings. */
  readonly selection: {
    readonly description: string;
    readonly series: readonly string[];
    readonly warnings: readonly string[];
    /** How the series were chosen (select-inputs.ts); absent from callers that do not say. */
    readonly choice?: SeriesChoice;
  };
  /** Timings by stage (the analysis's and the caller's), ms. */
  readonly timingsMs: Record<string, number>;
  /** Files written, by key (labels, probability, report, overview, fhir, dicom…). */
  readonly files: Record<string, string>;
}

/** The choice record as plain JSON (fresh mutable arrays). */
function choiceJson(c: SeriesChoice): NonNullable<AnalyzeReport['input']['choice']> {
  return {
    rule: c.rule,
    task: c.task,
    used: c.used.map((u) => ({ ...u })),
    skipped: c.skipped.map((s) => ({ ...s })),
  };
}

type ReportLocation = NonNullable<AnalyzeReport['location']>;

/** The location as plain JSON (fresh mutable arrays). */
function locationJson(location: FindingsLocation | null): AnalyzeReport['location'] {
  if (!location) return null;
  const where = <
    T extends FindingsLocation['lesions'][number] | NonNullable<FindingsLocation['total']>,
  >(
    l: T,
  ) => ({
    ...l,
    labels: [...l.labels],
    structures: [...l.structures],
    territories: [...l.territories],
    subTerritories: [...l.subTerritories],
  });
  const registration: ReportLocation['registration'] = {
    ...location.registration,
    patientToTemplate: [...location.registration.patientToTemplate],
  };
  return {
    registration,
    lesions: location.lesions.map((l) => ({
      ...where(l),
      centreMm: [...l.centreMm],
      templateCentreMm: [...l.templateCentreMm],
    })),
    total: location.total && where(location.total),
  };
}

export function buildReport(analysis: Analysis, options: BuildReportOptions): AnalyzeReport {
  const { card, segmentation: result, findings } = analysis;
  return {
    version: REPORT_VERSION,
    task: analysis.task,
    summary: findings.summary,
    input: {
      paths: [...options.paths],
      series: options.selection.description,
      ids: [...options.selection.series],
      ...(options.selection.choice && { choice: choiceJson(options.selection.choice) }),
    },
    model: {
      name: card.name,
      version: card.version,
      sha256: card.sha256,
      path: analysis.modelSource,
    },
    volumesMl: result.volumesMl,
    totalLesionMl: result.totalLesionMl,
    lesionCount: result.lesionCount,
    largestLesionMl: result.largestLesionMl,
    removedSmallLesions: result.removedLesions,
    ...(analysis.brainMaskApplied && { removedOutsideBrain: result.removedOutsideBrain }),
    ...(result.restriction && { restriction: { ...result.restriction } }),
    minLesionMl: analysis.minLesionMl,
    triage: {
      state: analysis.state,
      score: result.triage.score,
      positive: analysis.state === 'positive',
      threshold: result.triage.threshold,
      rule: result.triage.rule,
    },
    assessment: {
      assessable: analysis.assessment.assessable,
      reasons: analysis.assessment.reasons.map((r) => ({ ...r })),
      coverage: analysis.assessment.coverage && {
        regions: analysis.assessment.coverage.regions.map((r) => ({ ...r })),
        incomplete: [...analysis.assessment.coverage.incomplete],
        brainFraction: analysis.assessment.coverage.brainFraction,
      },
      measures: { ...analysis.assessment.measures },
    },
    location: locationJson(findings.location),
    ...(findings.haemorrhage && { haemorrhage: { ...findings.haemorrhage } }),
    ...(findings.infarct && { infarct: { ...findings.infarct } }),
    tta: analysis.tta,
    nativeGrid: { shape: [...result.native.shape], spacingMm: [...result.native.spacingMm] },
    modelGrid: {
      shape: [...result.modelGrid.shape],
      spacingMm: [...result.modelGrid.spacingMm],
      ...(result.modelGrid.box && {
        box: { lo: [...result.modelGrid.box.lo], hi: [...result.modelGrid.box.hi] },
      }),
      runs: result.modelRuns,
    },
    timingsMs: options.timingsMs,
    files: options.files,
    warnings: [...options.selection.warnings, ...analysis.warnings],
    notice: RESEARCH_NOTICE,
  };
}
