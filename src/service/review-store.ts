/**
 * Reviews of a study's result in the service's SQLite file (`reviews`, migration 4): a decision
 * (accept / reject, with an optional note) or an edited mask, each a new version numbered per
 * study (1, 2, …), with who (token id and name) and when. Nothing is ever updated or deleted:
 * the history is the table. `add` numbers the version and records the row in one immediate
 * transaction, so two reviews at once get distinct versions; `add`'s `beforeInsert` runs inside
 * that transaction with the version (the files of a mask edit are moved in there).
 */
import type { Db } from './database.js';

export type ReviewKind = 'decision' | 'mask';
export type ReviewDecision = 'accept' | 'reject';
/** The latest review in one word: a mask edit is `edited` (unless a decision came later). */
export type ReviewState = ReviewDecision | 'edited';

export interface Reviewer {
  /** The token's id. */
  readonly id: string;
  /** The name given to the token (`token create --name`). */
  readonly name: string;
}

export interface ReviewRecord {
  readonly studyId: string;
  readonly version: number;
  readonly kind: ReviewKind;
  readonly decision: ReviewDecision | null;
  readonly note: string | null;
  readonly reviewer: Reviewer;
  readonly reviewedAt: string;
  /** Files of the version (mask edits): labels.nii.gz, and segmentation.dcm for DICOM input. */
  readonly files: readonly string[];
  /** Volumes of the edited mask by label name, mL (mask edits). */
  readonly volumesMl: Readonly<Record<string, number>> | null;
}

/** What the worklist and `GET /studies/:id` show of the latest review. */
export interface ReviewSummary {
  readonly decision: ReviewState;
  readonly version: number;
  readonly reviewer: Reviewer;
  readonly reviewedAt: string;
}

export type NewReview =
  | {
      readonly kind: 'decision';
      readonly decision: ReviewDecision;
      readonly note?: string;
    }
  | {
      readonly kind: 'mask';
      readonly volumesMl: Readonly<Record<string, number>>;
    };

type Row = Record<string, unknown>;

function toReview(r: Row): ReviewRecord {
  const kind = String(r.kind) as ReviewKind;
  return {
    studyId: String(r.study_id),
    version: Number(r.version),
    kind,
    decision: r.decision === null ? null : (String(r.decision) as ReviewDecision),
    note: r.note === null ? null : String(r.note),
    reviewer: { id: String(r.token_id), name: String(r.reviewer) },
    reviewedAt: String(r.reviewed_at),
    files: JSON.parse(String(r.files)) as string[],
    volumesMl:
      r.volumes_ml === null ? null : (JSON.parse(String(r.volumes_ml)) as Record<string, number>),
  };
}

export function reviewSummary(review: ReviewRecord): ReviewSummary {
  return {
    decision: review.kind === 'mask' ? 'edited' : (review.decision ?? 'accept'),
    version: review.version,
    reviewer: review.reviewer,
    reviewedAt: review.reviewedAt,
  };
}

export class ReviewStore {
  constructor(private readonly db: Db) {}

  /**
   * Records a review as the study's next version. `beforeInsert(version)` runs inside the
   * transaction before the row is written and returns the version's files (a throw there
   * records nothing).
   */
  add(options: {
    readonly studyId: string;
    readonly reviewer: Reviewer;
    readonly review: NewReview;
    readonly beforeInsert?: (version: number) => readonly string[];
  }): ReviewRecord {
    const { studyId, reviewer, review } = options;
    return this.db
      .transaction(() => {
        const row = this.db
          .prepare('SELECT COALESCE(MAX(version), 0) AS v FROM reviews WHERE study_id = ?')
          .get(studyId) as { v: unknown };
        const version = Number(row.v) + 1;
        const files = options.beforeInsert?.(version) ?? [];
        this.db
          .prepare(
            `INSERT INTO reviews (study_id, version, kind, decision, note, token_id, reviewer,
               reviewed_at, files, volumes_ml) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            studyId,
            version,
            review.kind,
            review.kind === 'decision' ? review.decision : null,
            review.kind === 'decision' ? (review.note ?? null) : null,
            reviewer.id,
            reviewer.name,
            new Date().toISOString(),
            JSON.stringify(files),
            review.kind === 'mask' ? JSON.stringify(review.volumesMl) : null,
          );
        return this.review(studyId, version)!;
      })
      .immediate();
  }

  review(studyId: string, version: number): ReviewRecord | undefined {
    const r = this.db
      .prepare('SELECT * FROM reviews WHERE study_id = ? AND version = ?')
      .get(studyId, version) as Row | undefined;
    return r && toReview(r);
  }

  /** A study's reviews, oldest first. */
  reviews(studyId: string): ReviewRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM reviews WHERE study_id = ? ORDER BY version')
      .all(studyId) as Row[];
    return rows.map(toReview);
  }

  /** The latest review of every reviewed study, by study id. */
  latestOfAll(): Map<string, ReviewRecord> {
    const rows = this.db
      .prepare(
        `SELECT r.* FROM reviews r
           JOIN (SELECT study_id, MAX(version) AS v FROM reviews GROUP BY study_id) m
             ON m.study_id = r.study_id AND m.v = r.version
           ORDER BY r.reviewed_at, r.study_id`,
      )
      .all() as Row[];
    return new Map(rows.map((r) => [String(r.study_id), toReview(r)]));
  }

  /** The latest mask edit of a study (the label map a dataset takes), if any. */
  latestMask(studyId: string): ReviewRecord | undefined {
    const r = this.db
      .prepare(
        `SELECT * FROM reviews WHERE study_id = ? AND kind = 'mask' ORDER BY version DESC LIMIT 1`,
      )
      .get(studyId) as Row | undefined;
    return r && toReview(r);
  }
}
