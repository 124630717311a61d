/**
 * The `analyze` report: `report.json` (versioned, JSON-ready) and the short human summary
 * printed on the terminal. `evaluate` reads `triage.score` and `triage.positive` back.
 */
import type { ModelCard } from '../models/model-card.js';
import type { AnalyzeResult } from '../pipeline/analyze.js';
import type { SelectedInputs } from '../pipeline/select-inputs.js';
import { RESEARCH_NOTICE } from './notice.js';
import { type AnalyzeReport, REPORT_VERSION } from './report-schema.js';

export { type AnalyzeReport, REPORT_VERSION } from './report-schema.js';

/** Where the lesions are and the haemorrhage measurements (analyze-location.ts). */
export type ReportExtras = Pick<AnalyzeReport, 'summary' | 'location' | 'haemorrhage' | 'infarct'>;

export function buildReport(options: {
  paths: readonly string[];
  selected: SelectedInputs;
  card: ModelCard;
  modelPath: string;
  result: AnalyzeResult;
  minLesionMl: number;
  tta: boolean;
  timingsMs: Record<string, number>;
  files: Record<string, string>;
  warnings: readonly string[];
  extras: ReportExtras;
  /** Whether the brain-mask step ran (it needs an accepted registration). */
  brainMaskApplied: boolean;
}): AnalyzeReport {
  const { selected, card, result } = options;
  return {
    version: REPORT_VERSION,
    task: selected.task,
    summary: options.extras.summary,
    input: { paths: [...options.paths], series: selected.description, ids: [...selected.series] },
    model: {
      name: card.name,
      version: card.version,
      sha256: card.sha256,
      path: options.modelPath,
    },
    volumesMl: result.volumesMl,
    totalLesionMl: result.totalLesionMl,
    lesionCount: result.lesionCount,
    largestLesionMl: result.largestLesionMl,
    removedSmallLesions: result.removedLesions,
    ...(options.brainMaskApplied && { removedOutsideBrain: result.removedOutsideBrain }),
    minLesionMl: options.minLesionMl,
    triage: result.triage,
    location: options.extras.location,
    ...(options.extras.haemorrhage && { haemorrhage: options.extras.haemorrhage }),
    ...(options.extras.infarct && { infarct: options.extras.infarct }),
    tta: options.tta,
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
    warnings: [...options.warnings],
    notice: RESEARCH_NOTICE,
  };
}

export function formatSummary(report: AnalyzeReport): string {
  const what = report.task === 'ich' ? 'haemorrhage (CT)' : 'infarct (DWI + ADC)';
  const lines = [
    `${what}: ${report.triage.positive ? 'POSITIVE' : 'negative'} (score ${report.triage.score.toFixed(3)}${report.triage.threshold !== null ? `, threshold ${report.triage.threshold}` : ''})`,
    report.summary,
    ...(report.location
      ? [
          `registration: ${report.location.registration.template}, quality ${report.location.registration.quality} (≥ ${report.location.registration.threshold})`,
        ]
      : []),
    ...(report.haemorrhage
      ? [
          `ABC/2 (largest lesion): ${report.haemorrhage.abcOver2Ml.toFixed(1)} mL; midline shift: ${report.haemorrhage.midlineShiftMm === null ? 'not measurable' : `${report.haemorrhage.midlineShiftMm.toFixed(1)} mm`}`,
        ]
      : []),
    ...(report.infarct
      ? [
          `ADC < ${report.infarct.lowAdcThresholdMm2PerS * 1e6}×10⁻⁶ mm²/s in the brain (model-free yardstick): ${report.infarct.lowAdcMl.toFixed(1)} mL, largest component ${report.infarct.lowAdcLargestComponentMl.toFixed(1)} mL`,
        ]
      : []),
    `input:  ${report.input.series}`,
    `model:  ${report.model.name} ${report.model.version} (sha256 ${report.model.sha256.slice(0, 12)}…)`,
    `lesions: ${report.lesionCount}, total ${report.totalLesionMl.toFixed(2)} mL, largest ${report.largestLesionMl.toFixed(2)} mL`,
    ...Object.entries(report.volumesMl).map(
      ([name, ml]) => `  ${name.padEnd(16)} ${ml.toFixed(2)} mL`,
    ),
    `time:   ${Object.entries(report.timingsMs)
      .map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(2)} s`)
      .join(', ')}`,
    ...report.warnings.map((w) => `warning: ${w}`),
    `wrote:  ${Object.values(report.files).join(', ')}`,
    report.notice,
  ];
  return `${lines.join('\n')}\n`;
}
