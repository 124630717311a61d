/**
 * Groups received instances into studies. Each instance is written durably, before it is
 * acknowledged, to its study's settling folder (`DIR/settling/<our id>/0001`, … : names from a
 * counter, never from the client's UIDs; settling-folder.ts); when no new instance of that
 * StudyInstanceUID arrived for `settleMs`, the folder is handed to `StudyIntake.receiveStaged`
 * as one complete study (the content key, with the StudyInstanceUID as study key, makes that
 * idempotent). The same SOP instance sent twice before the study settles is kept once (the
 * later copy). Instances of a study arriving after it settled make a new batch, received as a
 * study of its own: while this process runs it is recognised (the StudyInstanceUIDs of the last
 * 10 000 studies are remembered), logged, and its source names the first study
 * (`dicom:AE late-addition-to <study id>`; `GET /studies/:id` shows the source). `recover()` (at start) hands over every folder a crash left settling; a
 * folder that could not be handed over stays for the next start.
 */
import { rmSync } from 'node:fs';
import type { ArtefactStore } from '../artefact-store.js';
import { InputNamer } from '../input-names.js';
import type { StagedFile, StudyIntake } from '../study-intake.js';
import type { ServiceLog } from './service-log.js';
import {
  createSettlingFolder,
  readSettlingFolders,
  writeInstanceDurably,
} from './settling-folder.js';

/** In a late study's source: `dicom:MODALITY late-addition-to <first study id>`. */
export const LATE_ADDITION = 'late-addition-to';
/** How many received StudyInstanceUIDs are remembered to recognise late instances. */
const MAX_REMEMBERED = 10_000;

export interface StudySettlerOptions {
  readonly artefacts: ArtefactStore;
  readonly intake: StudyIntake;
  /** Quiet time after the last instance of a study before it is received. */
  readonly settleMs: number;
  readonly log: ServiceLog;
}

export interface ReceivedInstance {
  readonly studyInstanceUid: string;
  readonly sopInstanceUid: string;
  /** The Part 10 file. */
  readonly file: Uint8Array;
  /** The sender's AE title (recorded as the study's source). */
  readonly callingAeTitle: string;
}

interface PendingStudy {
  readonly stagingDir: string;
  readonly namer: InputNamer;
  /** SOPInstanceUID → the staged file. */
  readonly files: Map<string, StagedFile>;
  readonly source: string;
  timer?: NodeJS.Timeout;
}

export class StudySettler {
  private readonly pending = new Map<string, PendingStudy>();
  /** StudyInstanceUID → the study its instances became, for the studies received by this run. */
  private readonly received = new Map<string, string>();

  constructor(private readonly options: StudySettlerOptions) {}

  /** Studies still collecting instances. */
  get pendingStudies(): number {
    return this.pending.size;
  }

  /** Stores one instance in its study's staging folder and restarts the study's settle timer. */
  add(instance: ReceivedInstance): void {
    let study = this.pending.get(instance.studyInstanceUid);
    const isNew = !study;
    if (!study) {
      const source = `dicom:${instance.callingAeTitle}`;
      study = {
        stagingDir: createSettlingFolder(this.options.artefacts, {
          studyKey: instance.studyInstanceUid,
          source,
        }),
        namer: new InputNamer(),
        files: new Map(),
        source,
      };
    }
    const storedName = study.files.get(instance.sopInstanceUid)?.storedName ?? study.namer.next('');
    try {
      study.files.set(
        instance.sopInstanceUid,
        writeInstanceDurably(study.stagingDir, storedName, instance.file),
      );
    } catch (e) {
      // Not stored (e.g. a full disk: the sender gets 0xA700); a new study's folder goes.
      if (isNew) rmSync(study.stagingDir, { recursive: true, force: true });
      throw e;
    }
    if (isNew) this.pending.set(instance.studyInstanceUid, study);
    if (study.timer) clearTimeout(study.timer);
    const studyUid = instance.studyInstanceUid;
    study.timer = setTimeout(() => this.settle(studyUid), this.options.settleMs);
  }

  /** Receives every pending study now (at shutdown: the senders were told they were stored). */
  settleAll(): void {
    for (const studyUid of [...this.pending.keys()]) this.settle(studyUid);
  }

  /**
   * At start, before any association: hands over every study a crash (or kill) left settling;
   * removes half-written instances and folders that hold none. Returns the studies handed over.
   */
  recover(): number {
    const { studies, removed } = readSettlingFolders(this.options.artefacts);
    if (studies.length > 0 || removed > 0)
      this.options.log.info(
        { studies: studies.length, removed },
        'dicom studies left settling by the last run',
      );
    for (const study of studies)
      this.handOver({
        stagingDir: study.dir,
        files: study.files,
        source: study.manifest.source,
        studyKey: study.manifest.studyKey,
        recovered: true,
      });
    return studies.length;
  }

  private settle(studyUid: string): void {
    const study = this.pending.get(studyUid);
    if (!study) return;
    this.pending.delete(studyUid);
    if (study.timer) clearTimeout(study.timer);
    this.handOver({
      stagingDir: study.stagingDir,
      files: [...study.files.values()],
      source: study.source,
      studyKey: studyUid,
      recovered: false,
    });
  }

  private handOver(batch: {
    readonly stagingDir: string;
    readonly files: readonly StagedFile[];
    readonly source: string;
    readonly studyKey: string;
    readonly recovered: boolean;
  }): void {
    const { log, intake } = this.options;
    const instances = batch.files.length;
    const earlier = this.received.get(batch.studyKey);
    const source =
      earlier === undefined ? batch.source : `${batch.source} ${LATE_ADDITION} ${earlier}`;
    try {
      const received = intake.receiveStaged({ ...batch, source });
      log.info(
        {
          studyId: received.study.id,
          instances,
          duplicate: received.duplicate,
          source,
          recovered: batch.recovered,
        },
        'dicom study received',
      );
      if (earlier !== undefined && earlier !== received.study.id && !received.duplicate)
        log.warn(
          { studyId: received.study.id, lateAdditionTo: earlier, instances },
          'dicom instances arrived after their study settled: received as a study of its own',
        );
      this.remember(batch.studyKey, earlier ?? received.study.id);
    } catch (e) {
      // The instances were acknowledged: the folder stays and is handed over at the next start.
      log.error(
        { instances, error: e instanceof Error ? e.message : String(e) },
        'dicom study could not be received; kept for the next start',
      );
    }
  }

  private remember(studyUid: string, studyId: string): void {
    this.received.delete(studyUid);
    this.received.set(studyUid, studyId);
    if (this.received.size > MAX_REMEMBERED) {
      const oldest = this.received.keys().next();
      if (!oldest.done) this.received.delete(oldest.value);
    }
  }
}
