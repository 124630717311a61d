/**
 * A study's life in the service and its place on the worklist. A study exists only once its
 * input was received completely (`received`); it is then `queued`, `running`, and ends `done`
 * (a triage result), `not-analysed` (the input cannot be analysed: the one-line reason says
 * why; never a silent negative) or `failed` (an internal error; the reason says which).
 */
import type { TriageState } from '../pipeline/assessment/triage-state.js';

export type StudyStatus = 'received' | 'queued' | 'running' | 'done' | 'not-analysed' | 'failed';

export const STUDY_STATUSES: readonly StudyStatus[] = [
  'received',
  'queued',
  'running',
  'done',
  'not-analysed',
  'failed',
];

export function isFinished(status: StudyStatus): boolean {
  return status === 'done' || status === 'not-analysed' || status === 'failed';
}

/** What an analysis found, kept in the store for the worklist and status. */
export interface TriageSummary {
  readonly task: string;
  /** positive, negative or not assessable (issue 25): a not-assessable study is never negative. */
  readonly state: TriageState;
  /** state === 'positive'. */
  readonly positive: boolean;
  readonly score: number;
  readonly totalLesionMl: number;
  /** The report's one-line summary (findings only; no patient data). */
  readonly summary: string;
  /** The model that read it, `name version` (absent in results recorded before it was kept). */
  readonly model?: string;
  /** Where, in a few words (e.g. 'left MCA; frontal lobe'); null when not localised. */
  readonly location?: string | null;
}

/**
 * Worklist order (lower first): positive results, then not-assessable results (a radiologist
 * must look: the machine could not judge them), then studies a person must look at because no
 * result exists (not-analysed, failed), then those still waiting for their result, then
 * negative results; within a rank, by arrival. Stored per study (migration 10 renumbered).
 */
export const PRIORITY = {
  positive: 0,
  notAssessable: 1,
  noResult: 2,
  pending: 3,
  negative: 4,
} as const;

export function priorityOf(status: StudyStatus, state: TriageState | undefined): number {
  if (status === 'done')
    return state === 'positive'
      ? PRIORITY.positive
      : state === 'not assessable'
        ? PRIORITY.notAssessable
        : PRIORITY.negative;
  if (status === 'not-analysed' || status === 'failed') return PRIORITY.noResult;
  return PRIORITY.pending;
}
