/**
 * Where the files of a review version live: `DIR/studies/<id>/reviews/<version>/` (labels.nii.gz,
 * and segmentation.dcm for DICOM input). A version's folder is written completely under
 * `DIR/work/review-<random>/` (swept at start like an analysis's work folder) and moved in by one
 * rename, like the input and the result (artefact-store.ts); the result is never touched.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type ArtefactStore, syncDir, writeFileAtomic } from './artefact-store.js';

/** The names a review version may hold (nothing else is ever served). */
export const REVIEW_FILE_NAMES = ['labels.nii.gz', 'segmentation.dcm'] as const;
export type ReviewFileName = (typeof REVIEW_FILE_NAMES)[number];

export function reviewsDir(artefacts: ArtefactStore, studyId: string): string {
  return join(artefacts.studyDir(studyId), 'reviews');
}

export function reviewDir(artefacts: ArtefactStore, studyId: string, version: number): string {
  if (!Number.isInteger(version) || version < 1) throw new Error(`not a version: ${version}`);
  return join(reviewsDir(artefacts, studyId), String(version));
}

/** The path of one file of a version, when it is one of REVIEW_FILE_NAMES and exists. */
export function reviewFilePath(
  artefacts: ArtefactStore,
  studyId: string,
  version: number,
  name: string,
): string | undefined {
  if (!(REVIEW_FILE_NAMES as readonly string[]).includes(name)) return undefined;
  const path = join(reviewDir(artefacts, studyId, version), name);
  return existsSync(path) ? path : undefined;
}

/** A version's files written to a fresh work folder, ready to be moved in. */
export function stageReviewFiles(
  artefacts: ArtefactStore,
  files: Readonly<Partial<Record<ReviewFileName, Uint8Array>>>,
): string {
  const dir = join(artefacts.root, 'work', `review-${randomUUID()}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileAtomic(join(dir, name), bytes);
  syncDir(dir);
  return dir;
}

/**
 * Moves a staged folder in as the version's folder (one rename). A folder already there has no
 * row (its version is being numbered now): left by a crash before its row was recorded, removed.
 */
export function commitReviewFiles(
  artefacts: ArtefactStore,
  staged: string,
  studyId: string,
  version: number,
): string[] {
  const target = reviewDir(artefacts, studyId, version);
  mkdirSync(reviewsDir(artefacts, studyId), { recursive: true });
  if (existsSync(target)) rmSync(target, { recursive: true, force: true });
  renameSync(staged, target);
  syncDir(reviewsDir(artefacts, studyId));
  return readdirSync(target).sort();
}
