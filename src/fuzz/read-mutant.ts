/**
 * Reads a mutant the way `neurotriage info` and `analyze` read their input, in process: the
 * files as `gatherInputFiles` gives them (a zip inflated with its limits; a folder through the
 * folder reader itself, from a temp folder), the catalog of series with their summaries, then
 * every series loaded to volumes and their intensity range. Models are not run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isUserInputError } from '../core/errors.js';
import { intensityRange } from '../core/volume.js';
import { type InputFile, gatherInputFiles, isZip, unzipEntries } from '../io/input-files.js';
import { catalogFromFiles } from '../io/series-catalog.js';
import type { Mutant } from './fuzz-types.js';

export interface ReadOutcome {
  /** ok: at least one series loaded; refused: a clean refusal or nothing loadable. */
  readonly outcome: 'ok' | 'refused';
  /** Series loaded and series refused (their load threw a UserInputError). */
  readonly loaded: number;
  readonly refusals: string[];
}

/** Writes the mutant's files under a new temp folder and returns it (the caller removes it). */
export function writeMutantFolder(mutant: Mutant, parent = tmpdir()): string {
  const dir = mkdtempSync(join(parent, 'neurotriage-fuzz-'));
  for (const f of mutant.files) {
    const path = join(dir, 'input', f.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.bytes);
  }
  return dir;
}

function inputFiles(mutant: Mutant): InputFile[] {
  if (mutant.layout === 'files') return [...mutant.files];
  if (mutant.layout === 'file') {
    const file = mutant.files[0]!;
    return isZip(file.bytes) ? unzipEntries(file.bytes) : [file];
  }
  const dir = writeMutantFolder(mutant);
  try {
    return gatherInputFiles(join(dir, 'input')).files;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the reader path; throws whatever the library throws that is not a clean refusal. */
export async function readMutant(mutant: Mutant): Promise<ReadOutcome> {
  let files: InputFile[];
  try {
    files = inputFiles(mutant);
  } catch (e) {
    if (!isUserInputError(e)) throw e;
    return { outcome: 'refused', loaded: 0, refusals: [e.message] };
  }
  let catalog;
  try {
    catalog = catalogFromFiles(files);
  } catch (e) {
    if (!isUserInputError(e)) throw e;
    return { outcome: 'refused', loaded: 0, refusals: [e.message] };
  }
  const refusals = catalog.skipped.map((s) => `${s.name}: ${s.reason}`);
  let loaded = 0;
  for (const entry of catalog.entries) {
    void entry.summary;
    try {
      const series = await entry.load();
      for (const v of series.volumes) intensityRange(v.data);
      loaded++;
    } catch (e) {
      if (!isUserInputError(e)) throw e;
      refusals.push(`${entry.id}: ${e.message}`);
    }
  }
  return { outcome: loaded > 0 ? 'ok' : 'refused', loaded, refusals };
}
