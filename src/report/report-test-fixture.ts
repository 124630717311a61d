/**
 * report.json fixtures for the tests of its consumers: a positive ICH report and the same
 * study not assessable (registration failed, cerebellum barely imaged; issue 25).
 */
import type { AnalyzeReport } from './report-schema.js';

export const positiveReport: AnalyzeReport = {
  version: 3,
  task: 'ich',
  summary:
    'Intracranial haemorrhage, 23.1 mL (intraparenchymal 20.0 mL, intraventricular 3.1 mL) in 2 lesions, right basal ganglia',
  input: { paths: ['ct'], series: "CT 'Head'", ids: ['1'] },
  model: {
    name: 'neurotriage-ich',
    version: '1.0.0',
    sha256: 'a'.repeat(64),
    path: 'models/ich-ct',
  },
  volumesMl: { intraparenchymal: 20, intraventricular: 3.1 },
  totalLesionMl: 23.1,
  lesionCount: 2,
  largestLesionMl: 20,
  removedSmallLesions: 0,
  minLesionMl: 0.01,
  triage: { state: 'positive', score: 0.97, positive: true, threshold: 0.5, rule: 'r' },
  assessment: { assessable: true, reasons: [], coverage: null, measures: {} },
  location: null,
  haemorrhage: { abcOver2Ml: 18.2, midlineShiftMm: -3.5, midlineShiftMethod: 'septum' },
  tta: false,
  nativeGrid: { shape: [1, 1, 1], spacingMm: [1, 1, 1] },
  modelGrid: { shape: [1, 1, 1], spacingMm: [2, 2, 2] },
  timingsMs: {},
  files: {},
  warnings: [],
  notice: 'NeuroTriage is for research use only; it is not a medical device.',
};

export const NOT_ASSESSABLE_REASONS = [
  {
    code: 'coverage' as const,
    message: 'cerebellum 20 % imaged (below 50 %)',
    measured: 0.2,
    limit: 0.5,
  },
  {
    code: 'low-contrast' as const,
    message: 'grey-white contrast 2.0 HU is below 4',
    measured: 2,
    limit: 4,
  },
];

/** The study of `positiveReport` with no finding over the operating point, not assessable. */
export const notAssessableReport: AnalyzeReport = {
  ...withoutHaemorrhage(positiveReport),
  summary: `Not assessable: ${NOT_ASSESSABLE_REASONS.map((r) => r.message).join('; ')}`,
  volumesMl: { intraparenchymal: 0.3, intraventricular: 0 },
  totalLesionMl: 0.3,
  lesionCount: 1,
  largestLesionMl: 0.3,
  triage: { state: 'not assessable', score: 0.2, positive: false, threshold: 0.5, rule: 'r' },
  assessment: {
    assessable: false,
    reasons: NOT_ASSESSABLE_REASONS,
    coverage: {
      regions: [
        { region: 'cerebellum', fraction: 0.2 },
        { region: 'left frontal lobe', fraction: 1 },
      ],
      incomplete: ['cerebellum'],
      brainFraction: 0.85,
    },
    measures: { greyWhiteContrastHu: 2 },
  },
};

function withoutHaemorrhage(report: AnalyzeReport): AnalyzeReport {
  const copy = { ...report };
  delete copy.haemorrhage;
  return copy;
}
