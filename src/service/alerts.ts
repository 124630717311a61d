/**
 * Alerts (issue 25): when a study finishes with a positive or a not-assessable result, or with
 * no result (not-analysed, failed), an event to every webhook (JSON, HMAC-signed:
 * alert-signature.ts) and, for a positive or not-assessable result, the study's `report.fhir.json` (a FHIR DiagnosticReport) to every FHIR
 * endpoint. Two alarms go to the webhooks too: a study received but without a result after
 * `noResultAlarmMs` (once per study; a periodic check), and `failureAlarmCount` consecutive
 * studies without a result (once per run of failures). Every delivery is first a row of the
 * outbox (alert-outbox.ts), then sent and retried (alert-delivery.ts); nothing here blocks or
 * breaks the analysis path: a problem is logged.
 */
import { readFileSync } from 'node:fs';
import { AlertDelivery } from './alert-delivery.js';
import {
  type AlertEvent,
  type AlertPayload,
  failuresPayload,
  resultEventOf,
  studyPayload,
} from './alert-events.js';
import type { AlertOutbox, NewDelivery } from './alert-outbox.js';
import type { ArtefactStore } from './artefact-store.js';
import type { ServiceLog } from './dimse/service-log.js';
import type { StudyStore } from './study-store.js';

export interface AlertOptions {
  /** Webhook URLs: every event goes to each. */
  readonly webhooks: readonly string[];
  /** HMAC-SHA256 key of the webhook signature; absent: unsigned. */
  readonly webhookSecret?: Uint8Array;
  /** FHIR endpoints: a positive or not-assessable study's DiagnosticReport is POSTed to each. */
  readonly fhirEndpoints?: readonly string[];
  /** A received study without a result after this long raises alarm.no-result; default 5 min. */
  readonly noResultAlarmMs?: number;
  /** How often that is checked; default 30 s (a fifth of the alarm time when shorter). */
  readonly noResultCheckMs?: number;
  /** Consecutive studies without a result that raise alarm.repeated-failures; default 3. */
  readonly failureAlarmCount?: number;
  /** Attempts per delivery before `failed`; default 5. */
  readonly maxAttempts?: number;
  /** Wait before the first retry, doubled for each next one; default 10 s. */
  readonly retryBaseMs?: number;
  /** Timeout of one attempt; default 10 s. */
  readonly timeoutMs?: number;
}

export interface AlertsContext {
  readonly outbox: AlertOutbox;
  readonly store: StudyStore;
  readonly artefacts: ArtefactStore;
  /** The service's logger (read when used: it exists once the HTTP app does). */
  readonly log: () => ServiceLog;
}

export const DEFAULT_NO_RESULT_ALARM_MS = 5 * 60_000;
export const DEFAULT_FAILURE_ALARM_COUNT = 3;

export class Alerts {
  private readonly delivery: AlertDelivery;
  private failureRun: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: AlertOptions,
    private readonly context: AlertsContext,
  ) {
    this.delivery = new AlertDelivery({
      outbox: context.outbox,
      log: context.log,
      secret: options.webhookSecret,
      maxAttempts: options.maxAttempts,
      retryBaseMs: options.retryBaseMs,
      timeoutMs: options.timeoutMs,
    });
  }

  /** Resumes pending deliveries and starts the no-result check; returns the resumed count. */
  start(): number {
    const alarmMs = this.options.noResultAlarmMs ?? DEFAULT_NO_RESULT_ALARM_MS;
    const everyMs = this.options.noResultCheckMs ?? Math.min(30_000, Math.max(50, alarmMs / 5));
    if (this.options.webhooks.length > 0) {
      this.timer = setInterval(() => this.guarded(undefined, () => this.checkNoResult()), everyMs);
      this.timer.unref();
    }
    return this.delivery.resume();
  }

  /** A job finished (its outcome recorded): the events it raises. */
  studyFinished(studyId: string): void {
    this.guarded(studyId, () => {
      const study = this.context.store.study(studyId);
      if (!study) return;
      const event = resultEventOf(study);
      this.countFailures(study.id, event === 'result.no-result');
      if (event === undefined) return;
      const deliveries = this.webhookDeliveries(study.id, studyPayload(event, study));
      if (event === 'result.positive' || event === 'result.not-assessable')
        deliveries.push(...this.fhirDeliveries(study.id, event));
      this.enqueue(deliveries);
    });
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.delivery.close();
  }

  private countFailures(studyId: string, noResult: boolean): void {
    if (!noResult) {
      this.failureRun = [];
      return;
    }
    this.failureRun.push(studyId);
    if (this.failureRun.length < (this.options.failureAlarmCount ?? DEFAULT_FAILURE_ALARM_COUNT))
      return;
    const payload = failuresPayload(this.failureRun);
    this.failureRun = [];
    this.enqueue(this.webhookDeliveries(null, payload));
    this.context
      .log()
      .warn({ studies: payload.consecutiveFailures?.count }, 'alarm: repeated failures');
  }

  private checkNoResult(): void {
    const alarmMs = this.options.noResultAlarmMs ?? DEFAULT_NO_RESULT_ALARM_MS;
    const ids = this.context.outbox.unfinishedWithout(
      'alarm.no-result',
      new Date(Date.now() - alarmMs),
    );
    for (const id of ids) {
      const study = this.context.store.study(id);
      if (!study) continue;
      const minutes = (Date.now() - Date.parse(study.receivedAt)) / 60_000;
      const payload = studyPayload('alarm.no-result', study, {
        minutesWithoutResult: Math.round(minutes * 10) / 10,
      });
      this.enqueue(this.webhookDeliveries(id, payload));
      this.context.log().warn({ studyId: id, status: study.status }, 'alarm: no result');
    }
  }

  private webhookDeliveries(studyId: string | null, payload: AlertPayload): NewDelivery[] {
    const body = JSON.stringify(payload);
    return this.options.webhooks.map((endpoint) => ({
      studyId,
      endpoint,
      kind: 'webhook' as const,
      event: payload.event,
      body,
    }));
  }

  private fhirDeliveries(studyId: string, event: AlertEvent): NewDelivery[] {
    const endpoints = this.options.fhirEndpoints ?? [];
    if (endpoints.length === 0) return [];
    const path = this.context.artefacts.outputPath(studyId, 'report.fhir.json');
    if (path === undefined) {
      this.context.log().warn({ studyId }, 'no report.fhir.json: no FHIR alert');
      return [];
    }
    const body = readFileSync(path, 'utf8');
    return endpoints.map((endpoint) => ({
      studyId,
      endpoint,
      kind: 'fhir' as const,
      event,
      body,
    }));
  }

  private enqueue(deliveries: readonly NewDelivery[]): void {
    if (deliveries.length === 0) return;
    this.delivery.send(this.context.outbox.add(deliveries));
  }

  /** Runs `work`; a failure is logged, never thrown into the caller (the analysis path). */
  private guarded(studyId: string | undefined, work: () => void): void {
    try {
      work();
    } catch (e) {
      const error = String(e).split('\n')[0];
      this.context.log().error({ studyId, error }, 'alert not recorded');
    }
  }
}
