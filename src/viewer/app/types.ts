import type { TriageState } from './triage-state.js';
import type { ScannerWeek } from '../monitoring-drift.js';

/** What the page reads from the API (the subset it uses; see src/service/study-view.ts). */
export interface StudyResult {
  readonly task: string;
  /** Absent from a service before issue 25 (then `positive` says it). */
  readonly state?: TriageState;
  readonly positive: boolean;
  readonly score: number;
  readonly totalLesionMl: number;
  readonly summary: string;
  readonly model?: string;
  readonly location?: string | null;
}

export interface Reviewer {
  /** The token's id and name (`neurotriage token create --name`). */
  readonly id: string;
  readonly name: string;
}

export interface StudyReview {
  readonly decision: 'accept' | 'reject' | 'edited';
  readonly version: number;
  readonly reviewer: Reviewer;
  readonly reviewedAt: string;
}

export interface Study {
  readonly id: string;
  readonly status: 'received' | 'queued' | 'running' | 'done' | 'not-analysed' | 'failed';
  readonly reason: string | null;
  readonly receivedAt: string;
  readonly source: string;
  readonly priority: number;
  readonly result: StudyResult | null;
  readonly review?: StudyReview | null;
  readonly links: { readonly outputs?: Readonly<Record<string, string>> };
}

export interface Share {
  readonly name: string;
  readonly fraction: number;
}

export interface ReportLesion {
  readonly volumeMl: number;
  readonly labels: readonly Share[];
  /** Patient LPS mm. */
  readonly centreMm: readonly [number, number, number];
  readonly side: string;
  readonly region: string;
  readonly structures: readonly Share[];
  readonly territories: readonly Share[];
}

export interface Report {
  readonly task: 'ich' | 'infarct';
  readonly summary: string;
  readonly notice: string;
  readonly model: { readonly name: string; readonly version: string; readonly sha256: string };
  readonly volumesMl: Readonly<Record<string, number>>;
  readonly totalLesionMl: number;
  readonly triage: {
    readonly state?: TriageState;
    readonly positive: boolean;
    readonly score: number;
  };
  /** Why the study (or the rest of it) could not be judged (report.json version 3). */
  readonly assessment?: { readonly reasons: readonly { readonly message: string }[] };
  readonly location: { readonly lesions: readonly ReportLesion[] } | null;
  readonly warnings?: readonly string[];
}

/** One row of `GET /monitoring` (src/service/monitoring.ts): a scanner in one ISO week. */
export interface MonitoringRow extends ScannerWeek {
  readonly medianPositiveLesionMl: number | null;
  readonly medianSecondsToResult: number | null;
}
