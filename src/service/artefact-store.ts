/**
 * Where the service keeps files under its data folder. Every path is made from the service's own
 * ids (study UUIDs, job numbers, file counters): no client string (a file name, a header) ever
 * steers a path. Layout:
 *
 *   DIR/neurotriage.sqlite                 the store (database.ts)
 *   DIR/staging/<upload id>/               an upload being received (removed at start: a
 *                                          half-received upload is never analysed)
 *   DIR/settling/<our id>/                 C-STORE instances of a study waiting for its settle
 *                                          time, with `settling.json` (kept at start: the
 *                                          sender was told they were stored; dimse/)
 *   DIR/studies/<study id>/input/          the received files + manifest.json, moved in whole
 *   DIR/studies/<study id>/result/         the outputs of the analysis, moved in whole
 *   DIR/work/<job id>-<random>/            an analysis writing its outputs (removed at start)
 *
 * Inputs and results appear by one `rename` of a complete folder, so a crash leaves either
 * nothing or the whole thing; single files are written to a temporary name and renamed.
 */
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  closeSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

/** A study id is a UUID made here; anything else never reaches a path. */
export const STUDY_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const DATABASE_FILE = 'neurotriage.sqlite';
export const INPUT_MANIFEST = 'manifest.json';
/** Marks a settling folder (dimse/settling-folder.ts); it stays with the input it became. */
export const SETTLING_MANIFEST = 'settling.json';

export class ArtefactStore {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
    for (const dir of ['staging', 'settling', 'studies', 'work'])
      mkdirSync(join(root, dir), { recursive: true });
  }

  get databasePath(): string {
    return join(this.root, DATABASE_FILE);
  }

  /** A fresh staging folder for one upload or one batch of instances. */
  newStaging(): string {
    const dir = join(this.root, 'staging', randomUUID());
    mkdirSync(dir);
    return dir;
  }

  /** A fresh folder for the instances of one study received by C-STORE while it settles. */
  newSettling(): string {
    const dir = join(this.root, 'settling', randomUUID());
    mkdirSync(dir);
    return dir;
  }

  /** Every settling folder (full paths). */
  settlingDirs(): string[] {
    const root = join(this.root, 'settling');
    return readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(root, d.name));
  }

  studyDir(studyId: string): string {
    if (!STUDY_ID_PATTERN.test(studyId)) throw new Error(`not a study id: ${studyId}`);
    return join(this.root, 'studies', studyId);
  }

  inputDir(studyId: string): string {
    return join(this.studyDir(studyId), 'input');
  }

  resultDir(studyId: string): string {
    return join(this.studyDir(studyId), 'result');
  }

  /** A fresh folder for one run of a job's analysis (made by the run when it starts). */
  workDir(jobId: number): string {
    return join(this.root, 'work', `${jobId}-${randomUUID().slice(0, 8)}`);
  }

  /**
   * Removes the work folders of a job's earlier runs (`work/<jobId>-*`), e.g. of a Redis worker
   * killed mid-analysis, when the job runs again; returns how many there were.
   */
  removeEarlierWork(jobId: number): number {
    const root = join(this.root, 'work');
    const earlier = readdirSync(root).filter((name) => name.startsWith(`${jobId}-`));
    for (const name of earlier) rmSync(join(root, name), { recursive: true, force: true });
    return earlier.length;
  }

  /** Moves a complete staging folder in as the study's input (one rename). */
  commitInput(stagingDir: string, studyId: string): void {
    mkdirSync(this.studyDir(studyId), { recursive: true });
    renameSync(stagingDir, this.inputDir(studyId));
    syncDir(this.studyDir(studyId));
  }

  /** Moves a complete work folder in as the study's result (one rename). */
  commitResult(workDir: string, studyId: string): void {
    const target = this.resultDir(studyId);
    // A result already there came from a run whose end was not recorded; this one replaces it.
    if (existsSync(target)) rmSync(target, { recursive: true, force: true });
    renameSync(workDir, target);
    syncDir(this.studyDir(studyId));
  }

  /** The result's files (names only); empty when there is no result. */
  outputNames(studyId: string): string[] {
    const dir = this.resultDir(studyId);
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isFile() && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort();
  }

  /** The path of one output, when `name` is exactly one of the result's files. */
  outputPath(studyId: string, name: string): string | undefined {
    return this.outputNames(studyId).includes(name)
      ? join(this.resultDir(studyId), name)
      : undefined;
  }

  /**
   * Start-up cleaning: half-received uploads, unfinished analyses' outputs, and study folders
   * that no study row names (a crash between moving the input in and recording it). Settling
   * folders stay (the DICOM side receives them); an orphan input that was a settling folder
   * (acknowledged C-STORE instances) goes back to `settling/` instead of being removed.
   * `work: false` keeps the work folders (Redis workers of another process may be writing them).
   */
  sweep(
    isKnownStudy: (id: string) => boolean,
    what: { readonly work?: boolean } = {},
  ): {
    staging: number;
    work: number;
    orphans: number;
  } {
    const clear = (dir: string, keep: (name: string) => boolean = () => false) => {
      let n = 0;
      for (const name of readdirSync(join(this.root, dir)))
        if (!keep(name)) {
          const path = join(this.root, dir, name);
          const input = join(path, 'input');
          if (dir === 'studies' && existsSync(join(input, SETTLING_MANIFEST)))
            renameSync(input, join(this.root, 'settling', randomUUID()));
          rmSync(path, { recursive: true, force: true });
          n++;
        }
      return n;
    };
    return {
      staging: clear('staging'),
      work: what.work === false ? 0 : clear('work'),
      orphans: clear('studies', (name) => STUDY_ID_PATTERN.test(name) && isKnownStudy(name)),
    };
  }
}

/** Writes a file so that readers see the old content or the new, never half of it. */
export function writeFileAtomic(path: string, bytes: string | Uint8Array): void {
  const tmp = join(dirname(path), `.tmp-${randomUUID()}`);
  const fd = openSync(tmp, 'w');
  try {
    try {
      writeFileSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    // E.g. a full disk: no temporary file is left behind.
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Makes a folder's entries (a rename into it) durable, where the file system allows. */
export function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on a folder; the rename itself is still atomic.
  }
}
