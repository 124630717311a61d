/**
 * The audit log: one row per authenticated request that reads or sends a study (status, events,
 * report, outputs, upload) and per worklist read: which token, which route, which study, when,
 * and the HTTP status. Kept in the service's SQLite file beside the studies.
 */
import type { Db } from './database.js';

export interface AuditEntry {
  readonly tokenId: string;
  readonly method: string;
  /** The route pattern, e.g. `/studies/:id/report` (not the URL: no query strings). */
  readonly route: string;
  readonly studyId?: string;
  readonly statusCode?: number;
}

export interface AuditRow extends AuditEntry {
  readonly id: number;
  readonly at: string;
}

export class AuditLog {
  constructor(private readonly db: Db) {}

  record(entry: AuditEntry): void {
    this.db
      .prepare(
        'INSERT INTO audit_log (at, token_id, method, route, study_id, status_code) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        new Date().toISOString(),
        entry.tokenId,
        entry.method,
        entry.route,
        entry.studyId ?? null,
        entry.statusCode ?? null,
      );
  }

  /** Several rows in one transaction (a DICOMweb read that spans many studies). */
  recordAll(entries: readonly AuditEntry[]): void {
    this.db.transaction(() => entries.forEach((e) => this.record(e))).immediate();
  }

  /** Rows, oldest first; for one study when `studyId` is given. */
  rows(studyId?: string): AuditRow[] {
    const rows = (
      studyId === undefined
        ? this.db.prepare('SELECT * FROM audit_log ORDER BY id').all()
        : this.db.prepare('SELECT * FROM audit_log WHERE study_id = ? ORDER BY id').all(studyId)
    ) as Record<string, unknown>[];
    return rows.map((r) => ({
      id: Number(r.id),
      at: String(r.at),
      tokenId: String(r.token_id),
      method: String(r.method),
      route: String(r.route),
      ...(r.study_id !== null && { studyId: String(r.study_id) }),
      ...(r.status_code !== null && { statusCode: Number(r.status_code) }),
    }));
  }
}
