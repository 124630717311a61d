/**
 * Pushes a finished study's DICOM outputs (SEG, SR, key images: whichever the analysis wrote)
 * by C-STORE to every configured destination. Each (study, destination) is a row of the
 * `pushes` table; a failed attempt is retried after `retryBaseMs`, then twice that, … up to
 * `maxAttempts`, then recorded `failed`. Pushes run on the main thread's event loop beside the
 * HTTP API: the analysis workers never wait for them. Pushes still pending at shutdown stay
 * `pending` and are resumed at the next start.
 */
import { DICOM_FILE_NAMES } from '../../report/dicom-outputs.js';
import type { ArtefactStore } from '../artefact-store.js';
import type { ServiceTls } from '../tls-options.js';
import { type DicomDestination, destinationName } from './ae-title.js';
import type { PushStore } from './push-store.js';
import type { ServiceLog } from './service-log.js';
import { storeFiles } from './store-scu.js';

export interface ResultPusherOptions {
  readonly store: PushStore;
  readonly artefacts: ArtefactStore;
  readonly destinations: readonly DicomDestination[];
  readonly callingAeTitle: string;
  readonly log: ServiceLog;
  /** Attempts per destination before `failed`; default 4. */
  readonly maxAttempts?: number;
  /** Wait before the first retry, doubled for each next one; default 5 s. */
  readonly retryBaseMs?: number;
  /** Network timeouts of one attempt; default 30 s. */
  readonly timeoutMs?: number;
  /** Pushes over TLS (`--push-tls`). */
  readonly tls?: ServiceTls | undefined;
}

export class ResultPusher {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: ResultPusherOptions) {}

  /** Starts the pushes of a study that finished with a result (no-op without DICOM outputs). */
  studyFinished(studyId: string): void {
    const paths = this.dicomOutputs(studyId);
    if (paths.length === 0) return;
    for (const destination of this.options.destinations) {
      this.options.store.begin(studyId, destinationName(destination), paths.length);
      this.attempt(studyId, destination, 1);
    }
  }

  /** Resumes the pushes left pending by a previous run (to destinations still configured). */
  resume(): number {
    let resumed = 0;
    for (const row of this.options.store.pending()) {
      const destination = this.options.destinations.find(
        (d) => destinationName(d) === row.destination,
      );
      if (!destination) continue;
      this.attempt(row.studyId, destination, row.attempts + 1);
      resumed++;
    }
    return resumed;
  }

  /** Stops retrying and waits for the attempts under way. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private dicomOutputs(studyId: string): string[] {
    return Object.values(DICOM_FILE_NAMES).flatMap(
      (name) => this.options.artefacts.outputPath(studyId, name) ?? [],
    );
  }

  private attempt(studyId: string, destination: DicomDestination, attempt: number): void {
    if (this.closed) return;
    const { store, log, callingAeTitle } = this.options;
    const maxAttempts = this.options.maxAttempts ?? 4;
    const name = destinationName(destination);
    const paths = this.dicomOutputs(studyId);
    const run = storeFiles({
      destination,
      callingAeTitle,
      paths,
      tls: this.options.tls,
      ...(this.options.timeoutMs !== undefined && { timeoutMs: this.options.timeoutMs }),
    })
      .then(() => {
        store.attempted(studyId, name, 'done');
        log.info({ studyId, destination: name, files: paths.length, attempt }, 'result pushed');
      })
      .catch((e: unknown) => {
        const error = e instanceof Error ? e.message : String(e);
        const last = attempt >= maxAttempts || this.closed;
        store.attempted(studyId, name, last && !this.closed ? 'failed' : 'pending', error);
        log.warn({ studyId, destination: name, attempt, error }, 'result push failed');
        if (!last) this.retryLater(studyId, destination, attempt);
      })
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  private retryLater(studyId: string, destination: DicomDestination, attempt: number): void {
    const delayMs = (this.options.retryBaseMs ?? 5000) * 2 ** (attempt - 1);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.attempt(studyId, destination, attempt + 1);
    }, delayMs);
    this.timers.add(timer);
  }
}
