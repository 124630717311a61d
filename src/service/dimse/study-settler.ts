/**
 * Groups received instances into studies. Each instance is written at once to its study's
 * staging folder (`DIR/staging/<our id>/0001`, … : names from a counter, never from the
 * client's UIDs); when no new instance of that StudyInstanceUID arrived for `settleMs`, the
 * folder is handed to `StudyIntake.receiveStaged` as one complete study (the content key, with
 * the StudyInstanceUID as study key, makes that idempotent). The same SOP instance sent twice
 * before the study settles is kept once (the later copy). Instances of a study arriving after it
 * settled make a new batch, received as a study of its own.
 */
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArtefactStore } from '../artefact-store.js';
import { InputNamer } from '../input-names.js';
import type { StagedFile, StudyIntake } from '../study-intake.js';
import type { ServiceLog } from './service-log.js';

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

  constructor(private readonly options: StudySettlerOptions) {}

  /** Studies still collecting instances. */
  get pendingStudies(): number {
    return this.pending.size;
  }

  /** Stores one instance in its study's staging folder and restarts the study's settle timer. */
  add(instance: ReceivedInstance): void {
    let study = this.pending.get(instance.studyInstanceUid);
    if (!study) {
      study = {
        stagingDir: this.options.artefacts.newStaging(),
        namer: new InputNamer(),
        files: new Map(),
        source: `dicom:${instance.callingAeTitle}`,
      };
      this.pending.set(instance.studyInstanceUid, study);
    }
    const storedName = study.files.get(instance.sopInstanceUid)?.storedName ?? study.namer.next('');
    writeFileSync(join(study.stagingDir, storedName), instance.file);
    study.files.set(instance.sopInstanceUid, {
      storedName,
      sizeBytes: instance.file.length,
      sha256: createHash('sha256').update(instance.file).digest('hex'),
    });
    if (study.timer) clearTimeout(study.timer);
    const studyUid = instance.studyInstanceUid;
    study.timer = setTimeout(() => this.settle(studyUid), this.options.settleMs);
  }

  /** Receives every pending study now (at shutdown: the senders were told they were stored). */
  settleAll(): void {
    for (const studyUid of [...this.pending.keys()]) this.settle(studyUid);
  }

  private settle(studyUid: string): void {
    const study = this.pending.get(studyUid);
    if (!study) return;
    this.pending.delete(studyUid);
    if (study.timer) clearTimeout(study.timer);
    const { log, intake } = this.options;
    try {
      const received = intake.receiveStaged({
        stagingDir: study.stagingDir,
        files: [...study.files.values()],
        source: study.source,
        studyKey: studyUid,
      });
      log.info(
        {
          studyId: received.study.id,
          instances: study.files.size,
          duplicate: received.duplicate,
          source: study.source,
        },
        'dicom study received',
      );
    } catch (e) {
      rmSync(study.stagingDir, { recursive: true, force: true });
      log.error(
        { instances: study.files.size, error: e instanceof Error ? e.message : String(e) },
        'dicom study could not be received',
      );
    }
  }
}
