/**
 * How studies enter the service. Every receiver (the HTTP upload today; DICOMweb STOW-RS and a
 * DICOM C-STORE SCP later) hands over a *complete* set of files; a study is recorded only then,
 * so a half-received input is never analysed. The content key (SHA-256 over the files' hashes)
 * makes intake idempotent: the same content sent again is the same study with one result.
 *
 * - `receiveStaged`: files already written to a staging folder (streamed uploads).
 * - `receiveInstances(studyKey, files)`: files in memory, e.g. the instances of one C-STORE
 *   association or one STOW-RS request; `studyKey` (a StudyInstanceUID) joins the content key.
 */
import { createHash, randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserInputError } from '../core/errors.js';
import type { InputFile } from '../io/input-files.js';
import type { InputManifest } from './analyse-stored-study.js';
import { type ArtefactStore, INPUT_MANIFEST } from './artefact-store.js';
import { InputNamer } from './input-names.js';
import type { Queue } from './queue.js';
import type { StudyRecord, StudyStore } from './study-store.js';

/** Bump when the analysis of the same content would change (job keys include it). */
export const ANALYSIS_VERSION = 'analysis-v1';

export interface StagedFile {
  /** Name inside the staging folder (input-names.ts). */
  readonly storedName: string;
  readonly sizeBytes: number;
  readonly sha256: string;
}

export interface ReceivedStudy {
  readonly study: StudyRecord;
  /** The same content was received before; `study` is that one. */
  readonly duplicate: boolean;
}

export interface StudyIntakeOptions {
  readonly store: StudyStore;
  readonly artefacts: ArtefactStore;
  readonly queue: Queue;
  /** Called with each newly admitted study's id (the worklist's live updates). */
  readonly onAdmitted?: (studyId: string) => void;
}

export class StudyIntake {
  constructor(private readonly options: StudyIntakeOptions) {}

  receiveStaged(input: {
    readonly stagingDir: string;
    readonly files: readonly StagedFile[];
    /** Who sent it (e.g. `http:<token id>`); never patient data. */
    readonly source: string;
    readonly studyKey?: string;
    /** The series to analyse (select-inputs' `series`); part of the content key. */
    readonly series?: readonly string[];
  }): ReceivedStudy {
    const { store, artefacts, queue } = this.options;
    const { stagingDir, files } = input;
    if (files.length === 0) {
      rmSync(stagingDir, { recursive: true, force: true });
      throw new UserInputError('no files received', 'no-files');
    }
    // The same files with another series choice are another analysis.
    const choice = input.series?.length ? `series=${input.series.join(',')}` : undefined;
    const key = [input.studyKey, choice].filter((k) => k !== undefined).join('|');
    const contentKey = contentKeyOf(files, key === '' ? undefined : key);
    const existing = store.studyByContent(contentKey);
    if (existing) {
      rmSync(stagingDir, { recursive: true, force: true });
      return { study: existing, duplicate: true };
    }
    const manifest: InputManifest = {
      files: files.map((f) => f.storedName),
      ...(input.series?.length && { series: [...input.series] }),
    };
    writeFileSync(join(stagingDir, INPUT_MANIFEST), `${JSON.stringify(manifest)}\n`);
    const id = randomUUID();
    artefacts.commitInput(stagingDir, id);
    let job;
    try {
      job = store.admitStudy(
        {
          id,
          contentKey,
          source: input.source,
          fileCount: files.length,
          byteCount: files.reduce((n, f) => n + f.sizeBytes, 0),
        },
        `${contentKey}:${ANALYSIS_VERSION}`,
      );
    } catch (e) {
      // Not recorded (e.g. SQLITE_FULL): the input moved in goes too, nothing is half-stored.
      rmSync(artefacts.studyDir(id), { recursive: true, force: true });
      throw e;
    }
    queue.enqueue({ jobId: job.id, studyId: id });
    this.options.onAdmitted?.(id);
    return { study: store.study(id)!, duplicate: false };
  }

  receiveInstances(studyKey: string, files: readonly InputFile[], source = 'dicom'): ReceivedStudy {
    const stagingDir = this.options.artefacts.newStaging();
    const namer = new InputNamer();
    try {
      const staged = files.map((f) => {
        const storedName = namer.next(f.name);
        writeFileSync(join(stagingDir, storedName), f.bytes);
        return { storedName, sizeBytes: f.bytes.length, sha256: sha256Hex(f.bytes) };
      });
      return this.receiveStaged({ stagingDir, files: staged, source, studyKey });
    } catch (e) {
      // E.g. a full disk: the staging folder goes (receiveStaged has moved it in or removed it
      // when it got that far).
      rmSync(stagingDir, { recursive: true, force: true });
      throw e;
    }
  }
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Order-independent: the sorted file hashes (with each file's kind), and the study key. */
export function contentKeyOf(files: readonly StagedFile[], studyKey?: string): string {
  const kind = (name: string) => name.replace(/^\d+/, '');
  const parts = files.map((f) => `${kind(f.storedName)}:${f.sha256}`).sort();
  if (studyKey !== undefined) parts.push(`study:${studyKey}`);
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}
