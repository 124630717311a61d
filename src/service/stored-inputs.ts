/**
 * A stored study's input read back as an analysis reads it: the received files (under the
 * service's own names, zips opened) → series catalog → `selectInputs`. Used by the analysis job,
 * by a mask edit (the DICOM source references of the SEG) and by the dataset export (the scans).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserInputError } from '../core/errors.js';
import { type InputFile, isZip, unzipEntries } from '../io/input-files.js';
import { catalogFromFiles } from '../io/series-catalog.js';
import { type SelectedInputs, type TaskChoice, selectInputs } from '../pipeline/select-inputs.js';
import { type ArtefactStore, INPUT_MANIFEST } from './artefact-store.js';

export interface InputManifest {
  /** Stored names (input-names.ts), in the order received. */
  readonly files: readonly string[];
  /** The series the sender asked for (upload's `series` field), else all are candidates. */
  readonly series?: readonly string[];
}

export interface StoredInputs {
  readonly manifest: InputManifest;
  readonly selected: SelectedInputs;
}

export async function readStoredInputs(options: {
  readonly artefacts: ArtefactStore;
  readonly studyId: string;
  /** The task to select for; `auto` (default) as a new analysis does. */
  readonly task?: TaskChoice;
}): Promise<StoredInputs> {
  const inputDir = options.artefacts.inputDir(options.studyId);
  const manifest = JSON.parse(
    readFileSync(join(inputDir, INPUT_MANIFEST), 'utf8'),
  ) as InputManifest;
  const files: InputFile[] = manifest.files.flatMap((name) => {
    const bytes = new Uint8Array(readFileSync(join(inputDir, name)));
    return isZip(bytes) ? unzipEntries(bytes, {}, `${name}/`) : [{ name, bytes }];
  });
  const catalog = catalogFromFiles(files);
  if (catalog.entries.length === 0) {
    const why = catalog.skipped.slice(0, 3).map((s) => `${s.name}: ${s.reason}`);
    throw new UserInputError(`no image series found${why.length ? ` (${why.join('; ')})` : ''}`);
  }
  const selected = await selectInputs({
    entries: catalog.entries,
    task: options.task ?? 'auto',
    ...(manifest.series?.length && { series: manifest.series }),
  });
  return { manifest, selected };
}
