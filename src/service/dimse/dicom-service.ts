/**
 * The service's DICOM side: the C-STORE SCP (listener + study settler) and the result pusher,
 * started and stopped together by `startService`. At start, the studies a crash left settling
 * (acknowledged instances) are received first.
 */
import type { ArtefactStore } from '../artefact-store.js';
import type { StudyIntake } from '../study-intake.js';
import type { ServiceTls } from '../tls-options.js';
import { type DicomDestination, checkAeTitle } from './ae-title.js';
import { type DicomListener, listenDicom } from './dimse-listener.js';
import type { PushStore } from './push-store.js';
import { ResultPusher } from './push-results.js';
import type { ServiceLog } from './service-log.js';
import { StudySettler } from './study-settler.js';

export interface DicomServiceOptions {
  /** Our AE title: the one senders call, and the calling one of our pushes. */
  readonly aeTitle: string;
  /** The C-STORE SCP's port; 0 picks a free one; absent: no SCP (pushes only). */
  readonly port?: number;
  /** Calling AE titles allowed to send; empty or absent: every one (logged at start). */
  readonly allowedCallers?: readonly string[];
  /** Quiet time after a study's last instance before it is received; default 10 s. */
  readonly settleMs?: number;
  /** A sender silent this long (no byte) is aborted; default 60 s (store-scp.ts). */
  readonly idleTimeoutMs?: number;
  /** Where finished results' DICOM objects are pushed. */
  readonly push?: readonly DicomDestination[];
  readonly pushMaxAttempts?: number;
  readonly pushRetryBaseMs?: number;
  /** The C-STORE SCP over TLS (`--dicom-tls`); absent: plain TCP. */
  readonly tls?: ServiceTls;
  /** The pushes over TLS (`--push-tls`); absent: plain TCP. */
  readonly pushTls?: ServiceTls;
}

export const DEFAULT_DICOM_PORT = 11112;
export const DEFAULT_AE_TITLE = 'NEUROTRIAGE';
export const DEFAULT_SETTLE_MS = 10_000;

export interface DicomService {
  /** The SCP's bound port; undefined without an SCP. */
  readonly port: number | undefined;
  /** A study finished with a result: push its DICOM outputs. */
  studyFinished(studyId: string): void;
  /** Stops listening, receives the studies still settling, then stops the pushes. */
  closeListener(): Promise<void>;
  closePushes(): Promise<void>;
}

export async function startDicomService(
  options: DicomServiceOptions,
  context: {
    readonly host: string;
    readonly artefacts: ArtefactStore;
    readonly intake: StudyIntake;
    readonly pushes: PushStore;
    readonly log: ServiceLog;
  },
): Promise<DicomService> {
  const aeTitle = checkAeTitle(options.aeTitle, '--ae-title');
  const allowed = new Set((options.allowedCallers ?? []).map((t) => checkAeTitle(t, '--allow-ae')));
  const { log } = context;
  const pusher = new ResultPusher({
    store: context.pushes,
    artefacts: context.artefacts,
    destinations: options.push ?? [],
    callingAeTitle: aeTitle,
    log,
    tls: options.pushTls,
    ...(options.pushMaxAttempts !== undefined && { maxAttempts: options.pushMaxAttempts }),
    ...(options.pushRetryBaseMs !== undefined && { retryBaseMs: options.pushRetryBaseMs }),
  });
  // Also without an SCP: studies a crash left settling were acknowledged, so they are received.
  const settler = new StudySettler({
    artefacts: context.artefacts,
    intake: context.intake,
    settleMs: options.settleMs ?? DEFAULT_SETTLE_MS,
    log,
  });
  settler.recover();
  let listener: DicomListener | undefined;
  if (options.port !== undefined) {
    listener = await listenDicom({
      host: context.host,
      port: options.port,
      aeTitle,
      allowedCallers: allowed,
      onInstance: (instance) => settler.add(instance),
      log,
      tls: options.tls,
      ...(options.idleTimeoutMs !== undefined && { idleTimeoutMs: options.idleTimeoutMs }),
    });
    if (allowed.size === 0)
      log.warn({ aeTitle }, 'dicom: no --allow-ae list, every calling AE title is accepted');
    log.info(
      {
        aeTitle,
        host: context.host,
        port: listener.port,
        allowed: [...allowed],
        tls: options.tls ? (options.tls.ca ? 'mutual' : 'on') : 'off',
      },
      'dicom storage SCP listening',
    );
  }
  const resumed = pusher.resume();
  if (resumed > 0) log.info({ resumed }, 'dicom pushes resumed');
  return {
    port: listener?.port,
    studyFinished: (studyId) => pusher.studyFinished(studyId),
    async closeListener() {
      await listener?.close();
      settler.settleAll();
    },
    closePushes: () => pusher.close(),
  };
}
