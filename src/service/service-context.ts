/** What the routes share: the stores, the intake, live events, the queue and the limits. */
import type { AlertOutbox } from './alert-outbox.js';
import type { ArtefactStore } from './artefact-store.js';
import type { AssetRoutesOptions } from './asset-routes.js';
import type { AuditLog } from './audit-log.js';
import type { Monitoring } from './monitoring.js';
import type { ProgressHub } from './progress-hub.js';
import type { Queue } from './queue.js';
import type { ReviewStore } from './review-store.js';
import type { StudyIntake } from './study-intake.js';
import type { StudyStore } from './study-store.js';
import type { TokenStore } from './token-store.js';

export interface ServiceLimits {
  /** Largest upload (all files of one POST together), bytes. */
  readonly maxUploadBytes: number;
  /** Most files in one upload. */
  readonly maxFiles: number;
}

export interface ServiceContext {
  readonly store: StudyStore;
  readonly tokens: TokenStore;
  readonly audit: AuditLog;
  readonly artefacts: ArtefactStore;
  readonly intake: StudyIntake;
  readonly hub: ProgressHub;
  readonly queue: Queue;
  /** Reviews of results (review-routes.ts). */
  readonly reviews: ReviewStore;
  /** The alerts' deliveries (alert-routes.ts). */
  readonly alertOutbox: AlertOutbox;
  /** Outcomes per scanner and week (monitoring-routes.ts). */
  readonly monitoring: Monitoring;
  readonly limits: ServiceLimits;
  /** Shadow mode: results recorded only (triage-service.ts), said by `/health`. */
  readonly shadow?: boolean;
  /** Where the public analysis assets come from (asset-routes.ts); default the package's. */
  readonly assets?: AssetRoutesOptions;
}
