/** The short human summary of a report, as `neurotriage analyze` prints it on the terminal. */
import { TASK_TRAITS } from '../pipeline/task-spec.js';
import type { AnalyzeReport } from './report-schema.js';
import { resultWord } from './triage-result-text.js';

/** A not-assessable study's reasons; for a study judged on part of the brain, what it covers. */
function assessmentLines(report: AnalyzeReport): string[] {
  const { assessment } = report;
  const lines = assessment.reasons.map((r) => `not assessable: ${r.message}`);
  const coverage = assessment.coverage;
  if (coverage && coverage.incomplete.length > 0)
    lines.push(
      `coverage: ${Math.round(coverage.brainFraction * 100)} % of the brain imaged; ${report.triage.state === 'negative' ? 'the negative covers the imaged part only; ' : ''}incomplete: ${coverage.incomplete.join(', ')}`,
    );
  return lines;
}

export function formatSummary(report: AnalyzeReport): string {
  const what = TASK_TRAITS[report.task].headline;
  const lines = [
    `${what}: ${report.triage.state === 'negative' ? 'negative' : resultWord(report.triage.state)} (score ${report.triage.score.toFixed(3)}${report.triage.threshold !== null ? `, threshold ${report.triage.threshold}` : ''})`,
    report.summary,
    ...assessmentLines(report),
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
