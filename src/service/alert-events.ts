/**
 * What the alerts send: the event types and their JSON payloads. Which finished studies raise
 * an event is decided in one place (`resultEventOf`): a positive result, a not-assessable
 * result (issue 25: the machine could not judge the study, so a person must), and a study with
 * no result (not-analysed, failed).
 * Payloads carry the study id, its status and the triage summary as the store keeps it (the
 * report's findings): no patient name, ID or birth date.
 */
import type { StudyRecord } from './study-store.js';

export const ALERT_EVENTS = [
  'result.positive',
  'result.not-assessable',
  'result.no-result',
  'alarm.no-result',
  'alarm.repeated-failures',
] as const;

export type AlertEvent = (typeof ALERT_EVENTS)[number];

export const RESEARCH_USE_NOTICE = 'Research use only; not a medical device.';

/** The event a finished study raises, or undefined (a negative result raises none). */
export function resultEventOf(study: StudyRecord): AlertEvent | undefined {
  switch (study.status) {
    case 'done':
      if (study.result?.state === 'positive') return 'result.positive';
      return study.result?.state === 'not assessable' ? 'result.not-assessable' : undefined;
    case 'not-analysed':
    case 'failed':
      return 'result.no-result';
    default:
      return undefined;
  }
}

export interface AlertPayload {
  readonly event: AlertEvent;
  readonly occurredAt: string;
  readonly notice: string;
  readonly study?: {
    readonly id: string;
    readonly status: string;
    readonly reason: string | null;
    readonly receivedAt: string;
    readonly result: StudyRecord['result'];
    /** Paths on the service (bearer token needed). */
    readonly links: { readonly study: string; readonly report?: string };
  };
  /** alarm.no-result: minutes since the study was received. */
  readonly minutesWithoutResult?: number;
  /** alarm.repeated-failures: the consecutive studies that ended without a result. */
  readonly consecutiveFailures?: { readonly count: number; readonly studyIds: string[] };
}

export function studyPayload(
  event: AlertEvent,
  study: StudyRecord,
  extra: Pick<AlertPayload, 'minutesWithoutResult'> = {},
): AlertPayload {
  return {
    event,
    occurredAt: new Date().toISOString(),
    notice: RESEARCH_USE_NOTICE,
    study: {
      id: study.id,
      status: study.status,
      reason: study.reason,
      receivedAt: study.receivedAt,
      result: study.result,
      links: {
        study: `/studies/${study.id}`,
        ...(study.status === 'done' && { report: `/studies/${study.id}/report` }),
      },
    },
    ...extra,
  };
}

export function failuresPayload(studyIds: readonly string[]): AlertPayload {
  return {
    event: 'alarm.repeated-failures',
    occurredAt: new Date().toISOString(),
    notice: RESEARCH_USE_NOTICE,
    consecutiveFailures: { count: studyIds.length, studyIds: [...studyIds] },
  };
}
