/**
 * The alerts' outbox (`alert_deliveries`, migration 6): one row per delivery of an event to one
 * endpoint (a webhook or a FHIR server), with its body as it will be sent, the attempts made,
 * when the next one is due, its state (pending → delivered | failed) and the last error (one
 * line). Written before the first attempt, so a delivery outlives a restart.
 */
import type { Db } from './database.js';

export type DeliveryState = 'pending' | 'delivered' | 'failed';
export type EndpointKind = 'webhook' | 'fhir';

export interface NewDelivery {
  readonly studyId: string | null;
  readonly endpoint: string;
  readonly kind: EndpointKind;
  readonly event: string;
  readonly body: string;
}

export interface DeliveryRecord extends NewDelivery {
  readonly id: number;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

type Row = Record<string, unknown>;

function toRecord(r: Row): DeliveryRecord {
  return {
    id: Number(r.id),
    studyId: r.study_id === null ? null : String(r.study_id),
    endpoint: String(r.endpoint),
    kind: String(r.kind) as EndpointKind,
    event: String(r.event),
    body: String(r.body),
    state: String(r.state) as DeliveryState,
    attempts: Number(r.attempts),
    nextAttemptAt: String(r.next_attempt_at),
    lastError: r.last_error === null ? null : String(r.last_error),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

export class AlertOutbox {
  constructor(private readonly db: Db) {}

  /** Records deliveries (all or none), due now; returns them. */
  add(deliveries: readonly NewDelivery[]): DeliveryRecord[] {
    const now = new Date().toISOString();
    const insert = this.db.prepare(
      `INSERT INTO alert_deliveries
         (study_id, endpoint, kind, event, body, state, next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
    );
    const ids = this.db
      .transaction(() =>
        deliveries.map((d) =>
          Number(
            insert.run(d.studyId, d.endpoint, d.kind, d.event, d.body, now, now, now)
              .lastInsertRowid,
          ),
        ),
      )
      .immediate();
    return ids.flatMap((id) => this.delivery(id) ?? []);
  }

  delivery(id: number): DeliveryRecord | undefined {
    const row = this.db.prepare('SELECT * FROM alert_deliveries WHERE id = ?').get(id) as
      Row | undefined;
    return row && toRecord(row);
  }

  /** One attempt made: delivered, or failed for good, or pending again until `nextAttemptAt`. */
  attempted(
    id: number,
    outcome:
      | { readonly state: 'delivered' }
      | { readonly state: 'failed'; readonly error: string }
      | { readonly state: 'pending'; readonly error: string; readonly nextAttemptAt: Date },
  ): void {
    const now = new Date().toISOString();
    this.db
      .prepare(
        `UPDATE alert_deliveries SET state = ?, attempts = attempts + 1,
           last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at), updated_at = ?
         WHERE id = ?`,
      )
      .run(
        outcome.state,
        outcome.state === 'delivered' ? null : outcome.error,
        outcome.state === 'pending' ? outcome.nextAttemptAt.toISOString() : null,
        now,
        id,
      );
  }

  /** Deliveries not finished (a restart interrupted them), oldest first. */
  pending(): DeliveryRecord[] {
    return (
      this.db
        .prepare(`SELECT * FROM alert_deliveries WHERE state = 'pending' ORDER BY id`)
        .all() as Row[]
    ).map(toRecord);
  }

  /** The latest deliveries, newest first. */
  recent(limit: number): DeliveryRecord[] {
    return (
      this.db.prepare('SELECT * FROM alert_deliveries ORDER BY id DESC LIMIT ?').all(limit) as Row[]
    ).map(toRecord);
  }

  /**
   * Studies received before `receivedBefore` and still without a result (received, queued,
   * running) for which no `event` was recorded yet.
   */
  unfinishedWithout(event: string, receivedBefore: Date): string[] {
    const rows = this.db
      .prepare(
        `SELECT s.id FROM studies s
         WHERE s.status IN ('received', 'queued', 'running') AND s.received_at < ?
           AND NOT EXISTS (SELECT 1 FROM alert_deliveries a
                           WHERE a.study_id = s.id AND a.event = ?)
         ORDER BY s.received_at`,
      )
      .all(receivedBefore.toISOString(), event) as Row[];
    return rows.map((r) => String(r.id));
  }
}
