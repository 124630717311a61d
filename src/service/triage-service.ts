/**
 * `startService(options)`: the whole service in one process: the store (SQLite + artefact
 * folders under `dataDir`), the in-process job queue with N analysis workers, and the HTTP API.
 * At start it removes half-received uploads and unfinished outputs, and re-queues every study
 * received completely but not finished. With `dicom`, also the C-STORE SCP and the push of
 * results to DICOM destinations (dimse/). Logs name studies by id only (no patient data).
 */
import { availableParallelism } from 'node:os';
import type { FastifyServerOptions } from 'fastify';
import { AlertOutbox } from './alert-outbox.js';
import { type AlertOptions, Alerts } from './alerts.js';
import { ArtefactStore } from './artefact-store.js';
import { AuditLog } from './audit-log.js';
import { openDatabase } from './database.js';
import { isDiskFullError } from './disk-full.js';
import {
  type DicomService,
  type DicomServiceOptions,
  startDicomService,
} from './dimse/dicom-service.js';
import { PushStore } from './dimse/push-store.js';
import { SILENT_LOG, type ServiceLog } from './dimse/service-log.js';
import { buildHttpApp } from './http-app.js';
import { InProcessQueue } from './in-process-queue.js';
import { ModelRegistry } from './model-registry.js';
import { Monitoring } from './monitoring.js';
import { withActiveModels } from './active-model-queue.js';
import { ProgressHub } from './progress-hub.js';
import type { Queue, QueueListener } from './queue.js';
import { RedisQueue } from './redis-queue.js';
import { ReviewStore } from './review-store.js';
import type { ServiceLimits } from './service-context.js';
import { StudyIntake } from './study-intake.js';
import { StudyStore } from './study-store.js';
import type { ServiceTls } from './tls-options.js';
import { TokenStore } from './token-store.js';

export interface ServiceOptions {
  /** The service's data folder: SQLite file, received studies, results. */
  readonly dataDir: string;
  /** Default 8042; 0 picks a free port (tests). */
  readonly httpPort?: number;
  /** Default 127.0.0.1 (this machine only). */
  readonly host?: string;
  /** Analysis worker threads; default 1. 0 receives and queues without analysing. */
  readonly workers?: number;
  /** ONNX Runtime threads per worker; default the cores shared among the workers. */
  readonly threadsPerWorker?: number;
  /** One model folder for every task; default the package's per task. */
  readonly model?: string;
  /** Reference data root; default `../shared/data`. */
  readonly referenceData?: string;
  readonly limits?: Partial<ServiceLimits>;
  /** Fastify's logger option; default off. */
  readonly logger?: FastifyServerOptions['logger'];
  /** The DICOM side (C-STORE SCP, result pushes); absent: none. */
  readonly dicom?: DicomServiceOptions;
  /**
   * `redis://…`: jobs go to Redis (BullMQ) for `neurotriage worker` processes sharing `dataDir`;
   * no analysis threads here (`workers` is ignored). Absent: the in-process queue.
   */
  readonly redis?: string;
  /** HTTPS for the API (and DICOMweb); from `loadServiceTls`. Absent: plain HTTP. */
  readonly tls?: ServiceTls;
  /** With `redis`: how long start-up waits for it (default 10 s), then fails. */
  readonly redisTimeoutMs?: number;
  /** Webhooks, FHIR endpoints and alarms (alerts.ts); absent: none. */
  readonly alerts?: AlertOptions;
  /**
   * Shadow mode (`serve --shadow`): studies are analysed and recorded as usual (marked
   * `shadow`), but no result is pushed (DICOM) and no alert, webhook or FHIR POST is sent.
   */
  readonly shadow?: boolean;
}

export interface RunningService {
  /** e.g. http://127.0.0.1:8042 (https://… with `tls`) */
  readonly url: string;
  readonly store: StudyStore;
  readonly tokens: TokenStore;
  readonly audit: AuditLog;
  readonly intake: StudyIntake;
  readonly artefacts: ArtefactStore;
  /** Pushes of results to DICOM destinations. */
  readonly pushes: PushStore;
  /** The alerts' deliveries (webhooks, FHIR). */
  readonly alertOutbox: AlertOutbox;
  /** The C-STORE SCP's port, when it runs. */
  readonly dicomPort: number | undefined;
  /** Stops HTTP, the workers (running jobs are re-queued at the next start) and the database. */
  close(): Promise<void>;
}

export const DEFAULT_LIMITS: ServiceLimits = {
  maxUploadBytes: 2 * 1024 ** 3,
  maxFiles: 10_000,
};

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const artefacts = new ArtefactStore(options.dataDir);
  const db = openDatabase(artefacts.databasePath);
  const store = new StudyStore(db);
  const tokens = new TokenStore(db);
  const audit = new AuditLog(db);
  const pushes = new PushStore(db);
  const alertOutbox = new AlertOutbox(db);
  let dicom: DicomService | undefined;
  const hub = new ProgressHub();
  // Work folders of Redis workers may be in use by a running worker: kept.
  const swept = artefacts.sweep((id) => store.study(id) !== undefined, {
    work: options.redis === undefined,
  });
  const workers = options.redis === undefined ? (options.workers ?? 1) : 0;
  const publishStatus = (studyId: string) => {
    const study = store.study(studyId);
    if (study) hub.publish(studyId, { type: 'status', study });
  };
  let log: ServiceLog = SILENT_LOG;
  const shadow = options.shadow === true;
  const alerts =
    options.alerts && !shadow
      ? new Alerts(options.alerts, { outbox: alertOutbox, store, artefacts, log: () => log })
      : undefined;

  /** A store write the service survives (e.g. SQLITE_FULL): the job runs again at next start. */
  const recorded = (studyId: string, write: () => void): boolean => {
    try {
      write();
      return true;
    } catch (e) {
      const error = isDiskFullError(e) ? 'the data folder is full' : String(e).split('\n')[0];
      log.error({ studyId, error }, 'job state not recorded; the job runs again at the next start');
      return false;
    }
  };
  const listener: QueueListener = {
    started(job) {
      if (recorded(job.studyId, () => store.markRunning(job.jobId))) publishStatus(job.studyId);
    },
    progress(p) {
      hub.publish(p.studyId, { type: 'progress', stage: p.stage, fraction: p.fraction });
    },
    finished(r) {
      if (!recorded(r.studyId, () => store.finishJob(r.jobId, r.outcome, r.durationMs, shadow)))
        return;
      log.info(
        { studyId: r.studyId, status: r.outcome.status, durationMs: Math.round(r.durationMs) },
        'analysis finished',
      );
      publishStatus(r.studyId);
      if (shadow) return;
      if (r.outcome.status === 'done') dicom?.studyFinished(r.studyId);
      alerts?.studyFinished(r.studyId);
    },
  };
  let queue: Queue;
  try {
    queue =
      options.redis === undefined
        ? new InProcessQueue({
            workers,
            listener,
            workerData: {
              dataDir: artefacts.root,
              threads:
                options.threadsPerWorker ??
                Math.max(1, Math.floor(availableParallelism() / Math.max(1, workers))),
              ...(options.model !== undefined && { model: options.model }),
              ...(options.referenceData !== undefined && { referenceData: options.referenceData }),
            },
          })
        : await RedisQueue.open({
            url: options.redis,
            listener,
            onError: (message) => log.warn({}, message),
            ...(options.redisTimeoutMs !== undefined && {
              connectTimeoutMs: options.redisTimeoutMs,
            }),
          });
  } catch (e) {
    db.close();
    throw e;
  }
  // Each job carries the model versions active when it is enqueued (`neurotriage models`).
  queue = withActiveModels(queue, new ModelRegistry(db));
  const intake = new StudyIntake({ store, artefacts, queue, onAdmitted: publishStatus });
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const app = await buildHttpApp(
    {
      store,
      tokens,
      audit,
      artefacts,
      intake,
      hub,
      queue,
      limits,
      reviews: new ReviewStore(db),
      alertOutbox,
      monitoring: new Monitoring(db, artefacts),
      shadow,
      assets: {
        ...(options.model !== undefined && { model: options.model }),
        ...(options.referenceData !== undefined && { referenceData: options.referenceData }),
      },
    },
    options.logger ?? false,
    options.tls,
  );
  log = app.log;
  const recovered = store.recoverUnfinished();
  for (const job of recovered) queue.enqueue({ jobId: job.id, studyId: job.studyId });
  const alertsResumed = alerts?.start() ?? 0;
  app.log.info(
    {
      ...swept,
      requeued: recovered.length,
      alertsResumed,
      workers,
      queue: options.redis ? 'redis' : 'in-process',
      shadow,
    },
    'service store ready',
  );
  const host = options.host ?? '127.0.0.1';
  let url: string;
  try {
    if (options.dicom)
      // Shadow mode: no destination, so not even pushes a live run left pending are resumed.
      dicom = await startDicomService(shadow ? { ...options.dicom, push: [] } : options.dicom, {
        host,
        artefacts,
        intake,
        pushes,
        log,
      });
    url = await app.listen({ port: options.httpPort ?? 8042, host });
  } catch (e) {
    await dicom?.closeListener();
    await app.close();
    await queue.close();
    await alerts?.close();
    db.close();
    throw e;
  }
  return {
    url,
    store,
    tokens,
    audit,
    intake,
    artefacts,
    pushes,
    alertOutbox,
    dicomPort: dicom?.port,
    async close() {
      await dicom?.closeListener();
      await app.close();
      await queue.close();
      await dicom?.closePushes();
      await alerts?.close();
      db.close();
    },
  };
}
