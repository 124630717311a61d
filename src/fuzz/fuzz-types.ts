/**
 * The vocabulary of the fuzz harness: file kinds, mutations, one case's plan, its mutant and
 * its result. Plain data only, so that plans and results cross to and from a worker untouched.
 */

/** What a seed file is, by content: DICOM by transfer syntax, NIfTI, sidecars, archives. */
export type FileKind =
  | 'dicom-explicit-le'
  | 'dicom-implicit-le'
  | 'dicom-explicit-be'
  | 'dicom-deflate'
  | 'dicom-rle'
  | 'dicom-jpeg-baseline'
  | 'dicom-jpeg-extended'
  | 'dicom-jpeg-lossless'
  | 'dicom-jpeg-ls'
  | 'dicom-jpeg2000'
  | 'dicom-other'
  | 'nifti'
  | 'nifti-gz'
  | 'bval'
  | 'zip'
  | 'folder'
  | 'other';

export type MutationName =
  | 'byte-flip'
  | 'truncate'
  | 'empty'
  | 'random-bytes'
  | 'dicom-length'
  | 'dicom-vr'
  | 'dicom-field-extreme'
  | 'dicom-nested-sq'
  | 'dicom-value-flip'
  | 'nifti-field-extreme'
  | 'gzip-bomb'
  | 'bval-values'
  | 'zip-bomb'
  | 'zip-crc'
  | 'zip-entry'
  | 'folder-one-bad'
  | 'folder-mixed';

export type Outcome = 'ok' | 'refused' | 'crash' | 'hang' | 'memory';

/** A seed file of the shared data, classified. */
export interface SeedFile {
  readonly kind: FileKind;
  /** Path relative to the data root, '/'-separated (messages and reproductions). */
  readonly relativePath: string;
  readonly sizeBytes: number;
  /** Leaf folder relative to the data root: files of one series share it. */
  readonly folder: string;
}

/** What one case does; fixed by (run seed, case index) alone. */
export interface CasePlan {
  readonly index: number;
  readonly kind: FileKind;
  readonly mutation: MutationName;
  /** Index into the seed list of the run (a folder or zip case starts from it too). */
  readonly seedIndex: number;
  /** Seed of this case's random stream. */
  readonly caseSeed: number;
}

/** One file of a mutant input. */
export interface MutantFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/**
 * A mutant input: one file (read from bytes, as `gatherInputFiles` reads a file path), or a
 * folder (written to a temp folder, read through the folder path of `gatherInputFiles`), or
 * files read together in memory (a NIfTI with its `.bval`).
 */
export interface Mutant {
  readonly layout: 'file' | 'folder' | 'files';
  readonly files: readonly MutantFile[];
  /** One line on what was changed (in crash reports). */
  readonly detail: string;
}

export interface CaseResult {
  readonly plan: CasePlan;
  readonly seedPath: string;
  readonly outcome: Outcome;
  readonly detail?: string;
  /** crash/hang/memory: the error message (one line). */
  readonly message?: string;
  /** crash: the first stack frame, and the first one inside the project's code. */
  readonly frame?: string;
  readonly sourceFrame?: string;
  readonly ms: number;
  /** Peak growth of the process's resident memory while the case ran, in MB. */
  readonly peakMb: number;
}
