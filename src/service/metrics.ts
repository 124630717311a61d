/**
 * `GET /metrics` in the Prometheus text format (version 0.0.4): studies by status, jobs waiting
 * and running, and a histogram of analysis durations (finished analyses, from the store, so it
 * survives restarts).
 */
import { STUDY_STATUSES, type StudyStatus } from './study-status.js';

export const DURATION_BUCKETS_S = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600] as const;

export interface MetricsInput {
  readonly studies: Readonly<Record<StudyStatus, number>>;
  readonly analysisDurationsMs: readonly number[];
  readonly queue: { readonly waiting: number; readonly running: number };
}

export function prometheusText(input: MetricsInput): string {
  const lines: string[] = [
    '# HELP neurotriage_studies Studies in the store, by status.',
    '# TYPE neurotriage_studies gauge',
    ...STUDY_STATUSES.map((s) => `neurotriage_studies{status="${s}"} ${input.studies[s]}`),
    '# HELP neurotriage_queue_jobs Analysis jobs in this process, waiting for a worker or running.',
    '# TYPE neurotriage_queue_jobs gauge',
    `neurotriage_queue_jobs{state="waiting"} ${input.queue.waiting}`,
    `neurotriage_queue_jobs{state="running"} ${input.queue.running}`,
    '# HELP neurotriage_analysis_duration_seconds Time from a worker taking a job to its result.',
    '# TYPE neurotriage_analysis_duration_seconds histogram',
  ];
  const seconds = input.analysisDurationsMs.map((ms) => ms / 1000);
  for (const le of DURATION_BUCKETS_S)
    lines.push(
      `neurotriage_analysis_duration_seconds_bucket{le="${le}"} ${seconds.filter((s) => s <= le).length}`,
    );
  lines.push(
    `neurotriage_analysis_duration_seconds_bucket{le="+Inf"} ${seconds.length}`,
    `neurotriage_analysis_duration_seconds_sum ${seconds.reduce((a, b) => a + b, 0)}`,
    `neurotriage_analysis_duration_seconds_count ${seconds.length}`,
  );
  return `${lines.join('\n')}\n`;
}
