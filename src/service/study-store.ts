/**
 * Studies and their analysis jobs in the service's SQLite file. Only the main thread writes
 * here; workers report through the queue. `admitStudy` records a completely received study and
 * its job in one transaction (the idempotent job key is the content key: the same content sent
 * twice is one study, one job, one result). `recoverUnfinished` is the restart path: jobs that
 * were queued or running go back to `queued` and are handed to the queue again.
 */
import type { TriageState } from '../pipeline/assessment/triage-state.js';
import type { Db } from './database.js';
import type { ReviewSummary } from './review-store.js';
import {
  type StudyStatus,
  type TriageSummary,
  STUDY_STATUSES,
  priorityOf,
} from './study-status.js';

export interface StudyRecord {
  readonly id: string;
  readonly contentKey: string;
  readonly receivedAt: string;
  readonly source: string;
  readonly status: StudyStatus;
  readonly reason: string | null;
  readonly priority: number;
  readonly result: TriageSummary | null;
  /** The result was made in shadow mode: recorded only, never pushed nor alerted. */
  readonly shadow: boolean;
  readonly fileCount: number;
  readonly byteCount: number;
  readonly updatedAt: string;
  /** The latest review (review-store.ts), or null when none. */
  readonly review: ReviewSummary | null;
}

export interface JobRecord {
  readonly id: number;
  readonly studyId: string;
  readonly jobKey: string;
  readonly state: Exclude<StudyStatus, 'received'>;
  readonly attempts: number;
  readonly durationMs: number | null;
}

export interface NewStudy {
  readonly id: string;
  readonly contentKey: string;
  readonly source: string;
  readonly fileCount: number;
  readonly byteCount: number;
}

/** How a job ended, as the worker reported it. */
export type JobOutcome =
  | { readonly status: 'done'; readonly result: TriageSummary }
  | { readonly status: 'not-analysed' | 'failed'; readonly reason: string };

type Row = Record<string, unknown>;

const now = () => new Date().toISOString();

/** A study with its latest review (migration 4's `reviews`). */
const STUDY_SELECT = `SELECT s.*, r.version AS review_version, r.kind AS review_kind,
    r.decision AS review_decision, r.token_id AS review_token_id, r.reviewer AS review_reviewer,
    r.reviewed_at AS review_at
  FROM studies s LEFT JOIN reviews r ON r.study_id = s.id
    AND r.version = (SELECT MAX(version) FROM reviews WHERE study_id = s.id)`;

function toReviewSummary(r: Row): ReviewSummary | null {
  if (r.review_version === null || r.review_version === undefined) return null;
  return {
    decision:
      r.review_kind === 'mask' ? 'edited' : r.review_decision === 'reject' ? 'reject' : 'accept',
    version: Number(r.review_version),
    reviewer: { id: String(r.review_token_id), name: String(r.review_reviewer) },
    reviewedAt: String(r.review_at),
  };
}

/** The stored state (migration 10 backfilled older results from `positive`). */
function triageStateOf(r: Row): TriageState {
  const s = r.triage_state;
  if (s === 'positive' || s === 'negative' || s === 'not assessable') return s;
  return Number(r.positive) === 1 ? 'positive' : 'negative';
}

function toStudy(r: Row): StudyRecord {
  const status = String(r.status) as StudyStatus;
  if (!STUDY_STATUSES.includes(status)) throw new Error(`unknown study status ${status}`);
  return {
    id: String(r.id),
    contentKey: String(r.content_key),
    receivedAt: String(r.received_at),
    source: String(r.source),
    status,
    reason: r.reason === null ? null : String(r.reason),
    priority: Number(r.priority),
    result:
      r.task === null
        ? null
        : {
            task: String(r.task),
            state: triageStateOf(r),
            positive: Number(r.positive) === 1,
            score: Number(r.score),
            totalLesionMl: Number(r.total_lesion_ml),
            summary: String(r.summary),
            ...(r.model !== null && r.model !== undefined && { model: String(r.model) }),
            location: r.location === null || r.location === undefined ? null : String(r.location),
          },
    shadow: Number(r.shadow) === 1,
    fileCount: Number(r.file_count),
    byteCount: Number(r.byte_count),
    updatedAt: String(r.updated_at),
    review: toReviewSummary(r),
  };
}

function toJob(r: Row): JobRecord {
  return {
    id: Number(r.id),
    studyId: String(r.study_id),
    jobKey: String(r.job_key),
    state: String(r.state) as JobRecord['state'],
    attempts: Number(r.attempts),
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
  };
}

export class StudyStore {
  constructor(private readonly db: Db) {}

  study(id: string): StudyRecord | undefined {
    const r = this.db.prepare(`${STUDY_SELECT} WHERE s.id = ?`).get(id) as Row | undefined;
    return r && toStudy(r);
  }

  studyByContent(contentKey: string): StudyRecord | undefined {
    const r = this.db.prepare(`${STUDY_SELECT} WHERE s.content_key = ?`).get(contentKey) as
      Row | undefined;
    return r && toStudy(r);
  }

  job(id: number): JobRecord | undefined {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return r && toJob(r);
  }

  /** The latest job of a study. */
  jobOfStudy(studyId: string): JobRecord | undefined {
    const r = this.db
      .prepare('SELECT * FROM jobs WHERE study_id = ? ORDER BY id DESC LIMIT 1')
      .get(studyId) as Row | undefined;
    return r && toJob(r);
  }

  /** Records a completely received study and queues its job; returns the job. */
  admitStudy(study: NewStudy, jobKey: string): JobRecord {
    const at = now();
    return this.db
      .transaction(() => {
        this.db
          .prepare(
            `INSERT INTO studies (id, content_key, received_at, source, status, priority,
               file_count, byte_count, updated_at) VALUES (?, ?, ?, ?, 'received', ?, ?, ?, ?)`,
          )
          .run(
            study.id,
            study.contentKey,
            at,
            study.source,
            priorityOf('received', undefined),
            study.fileCount,
            study.byteCount,
            at,
          );
        const { lastInsertRowid } = this.db
          .prepare(
            `INSERT INTO jobs (study_id, job_key, state, enqueued_at) VALUES (?, ?, 'queued', ?)`,
          )
          .run(study.id, jobKey, at);
        this.setStatus(study.id, 'queued', null, at);
        return this.job(Number(lastInsertRowid))!;
      })
      .immediate();
  }

  /** A worker took the job. */
  markRunning(jobId: number): void {
    const at = now();
    this.db
      .transaction(() => {
        this.db
          .prepare(
            `UPDATE jobs SET state = 'running', started_at = ?, attempts = attempts + 1 WHERE id = ?`,
          )
          .run(at, jobId);
        const job = this.job(jobId);
        if (job) this.setStatus(job.studyId, 'running', null, at);
      })
      .immediate();
  }

  /**
   * Records a job's end and its study's result, in one transaction; `shadow`: the result was
   * made in shadow mode (recorded, never sent anywhere).
   */
  finishJob(jobId: number, outcome: JobOutcome, durationMs: number, shadow = false): void {
    const at = now();
    this.db
      .transaction(() => {
        this.db
          .prepare('UPDATE jobs SET state = ?, finished_at = ?, duration_ms = ? WHERE id = ?')
          .run(outcome.status, at, durationMs, jobId);
        const job = this.job(jobId);
        if (!job) return;
        this.db
          .prepare('UPDATE studies SET shadow = ? WHERE id = ?')
          .run(shadow ? 1 : 0, job.studyId);
        if (outcome.status === 'done') {
          const r = outcome.result;
          this.db
            .prepare(
              `UPDATE studies SET task = ?, triage_state = ?, positive = ?, score = ?,
                 total_lesion_ml = ?, summary = ?, model = ?, location = ? WHERE id = ?`,
            )
            .run(
              r.task,
              r.state,
              r.state === 'positive' ? 1 : 0,
              r.score,
              r.totalLesionMl,
              r.summary,
              r.model ?? null,
              r.location ?? null,
              job.studyId,
            );
          this.setStatus(job.studyId, 'done', null, at, r.state);
        } else this.setStatus(job.studyId, outcome.status, outcome.reason, at);
      })
      .immediate();
  }

  /** Unfinished jobs (queued, or running when the process stopped), reset to queued. */
  recoverUnfinished(): JobRecord[] {
    return this.db
      .transaction(() => {
        const rows = this.db
          .prepare(`SELECT * FROM jobs WHERE state IN ('queued', 'running') ORDER BY id`)
          .all() as Row[];
        const at = now();
        for (const r of rows) {
          this.db.prepare(`UPDATE jobs SET state = 'queued' WHERE id = ?`).run(r.id);
          this.setStatus(String(r.study_id), 'queued', null, at);
        }
        return rows.map((r) => ({ ...toJob(r), state: 'queued' as const }));
      })
      .immediate();
  }

  /**
   * The worklist: by priority (positive, not assessable, no result, pending, negative), then
   * arrival.
   */
  worklist(limit = 500): StudyRecord[] {
    const rows = this.db
      .prepare(`${STUDY_SELECT} ORDER BY s.priority, s.received_at, s.rowid LIMIT ?`)
      .all(limit) as Row[];
    return rows.map(toStudy);
  }

  countsByStatus(): Record<StudyStatus, number> {
    const counts = Object.fromEntries(STUDY_STATUSES.map((s) => [s, 0])) as Record<
      StudyStatus,
      number
    >;
    const rows = this.db
      .prepare('SELECT status, COUNT(*) AS n FROM studies GROUP BY status')
      .all() as Row[];
    for (const r of rows) counts[String(r.status) as StudyStatus] = Number(r.n);
    return counts;
  }

  /** Durations of finished analyses, milliseconds. */
  analysisDurationsMs(): number[] {
    const rows = this.db
      .prepare(`SELECT duration_ms FROM jobs WHERE state = 'done' AND duration_ms IS NOT NULL`)
      .all() as Row[];
    return rows.map((r) => Number(r.duration_ms));
  }

  private setStatus(
    studyId: string,
    status: StudyStatus,
    reason: string | null,
    at: string,
    state?: TriageState,
  ): void {
    this.db
      .prepare(
        'UPDATE studies SET status = ?, reason = ?, priority = ?, updated_at = ? WHERE id = ?',
      )
      .run(status, reason, priorityOf(status, state), at, studyId);
  }
}
