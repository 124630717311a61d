/**
 * The `pushes` table: one row per (study, destination) push of a result's DICOM objects, with
 * its state (pending → done | failed), the attempts made and the last error.
 */
import type { Db } from '../database.js';

export type PushState = 'pending' | 'done' | 'failed';

export interface PushRecord {
  readonly studyId: string;
  /** `AE@host:port`. */
  readonly destination: string;
  readonly state: PushState;
  readonly attempts: number;
  readonly fileCount: number;
  readonly lastError: string | null;
  readonly updatedAt: string;
}

interface PushRow {
  study_id: string;
  destination: string;
  state: PushState;
  attempts: number;
  file_count: number;
  last_error: string | null;
  updated_at: string;
}

const COLUMNS = 'study_id, destination, state, attempts, file_count, last_error, updated_at';

export class PushStore {
  constructor(private readonly db: Db) {}

  /** Records a push to be made (again: back to pending, attempts kept). */
  begin(studyId: string, destination: string, fileCount: number): void {
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO pushes (study_id, destination, state, file_count, created_at, updated_at)
         VALUES (?, ?, 'pending', ?, ?, ?)
         ON CONFLICT (study_id, destination) DO UPDATE SET
           state = 'pending', file_count = excluded.file_count, updated_at = excluded.updated_at`,
      )
      .run(studyId, destination, fileCount, now, now);
  }

  /** One attempt made: its outcome (`pending` while retries remain). */
  attempted(studyId: string, destination: string, state: PushState, error?: string): void {
    this.db
      .prepare(
        `UPDATE pushes SET state = ?, attempts = attempts + 1, last_error = ?, updated_at = ?
         WHERE study_id = ? AND destination = ?`,
      )
      .run(state, error ?? null, new Date().toISOString(), studyId, destination);
  }

  forStudy(studyId: string): PushRecord[] {
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM pushes WHERE study_id = ? ORDER BY destination`)
      .all(studyId) as PushRow[];
    return rows.map(toRecord);
  }

  /** Pushes not finished (a restart interrupted them). */
  pending(): PushRecord[] {
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM pushes WHERE state = 'pending' ORDER BY id`)
      .all() as PushRow[];
    return rows.map(toRecord);
  }
}

function toRecord(r: PushRow): PushRecord {
  return {
    studyId: r.study_id,
    destination: r.destination,
    state: r.state,
    attempts: Number(r.attempts),
    fileCount: Number(r.file_count),
    lastError: r.last_error,
    updatedAt: r.updated_at,
  };
}
