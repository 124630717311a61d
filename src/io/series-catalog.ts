/**
 * One list of the image series found in an input, whatever its format: DICOM series (from a
 * folder, a zip or single files) and NIfTI files side by side. Each entry has a summary for
 * listing/selection and a `load` that returns its volumes in native geometry.
 */
import { UserInputError } from '../core/errors.js';
import type { CatalogEntry } from './catalog-entry.js';
import { findSeries } from './dicom/group-series.js';
import { type Catalog, type CatalogOptions, catalogFromFiles } from './files-catalog.js';
import { type GatherOptions, gatherInputFiles } from './input-files.js';

// The entry types are part of the catalog's interface; they live in catalog-entry.ts so that the
// per-format entries (nifti-entry.ts) need not import the catalog.
export type { CatalogEntry, LoadedSeries, LoadOptions } from './catalog-entry.js';
// Files in memory → catalog (no file system; a browser worker uses files-catalog.ts directly).
export { type Catalog, catalogFromFiles } from './files-catalog.js';

export interface OpenOptions extends GatherOptions, CatalogOptions {}

/** Reads a path (folder, zip, DICOM or NIfTI file) and lists every series in it. */
export function openCatalog(path: string, options: OpenOptions = {}): Catalog {
  const gathered = gatherInputFiles(path, options);
  const catalog = catalogFromFiles(gathered.files, options);
  return { ...catalog, skipped: [...gathered.skipped, ...catalog.skipped] };
}

/** Picks one entry: the one asked for, or the only one; otherwise a clear error listing them. */
export function selectEntry(catalog: Catalog, wanted?: string): CatalogEntry {
  const { entries } = catalog;
  if (entries.length === 0) {
    const why = catalog.skipped.slice(0, 3).map((s) => `${s.name}: ${s.reason}`);
    throw new SelectionError(`no image series found${why.length ? ` (${why.join('; ')})` : ''}`);
  }
  if (wanted === undefined) {
    if (entries.length === 1) return entries[0]!;
    throw new SelectionError(
      `${entries.length} series found; choose one with --series:\n${listIds(entries)}`,
    );
  }
  const byId = entries.find((e) => e.id === wanted);
  if (byId) return byId;
  const found = findSeries(
    entries.map((e) => ({ id: e.id, seriesNumber: e.summary.seriesNumber })),
    wanted,
  );
  const entry = found && entries.find((e) => e.id === found.id);
  if (!entry) {
    const matching = entries.filter(
      (e) => String(e.summary.seriesNumber) === wanted || e.id.startsWith(wanted),
    );
    const why =
      matching.length > 1
        ? `"${wanted}" matches ${matching.length} series`
        : `no series matches "${wanted}"`;
    throw new SelectionError(`${why}; found:\n${listIds(entries)}`);
  }
  return entry;
}

function listIds(entries: readonly CatalogEntry[]): string {
  return entries
    .map((e) => `  ${e.id}  (${e.summary.modality}, ${e.summary.description ?? 'no description'})`)
    .join('\n');
}

export class SelectionError extends UserInputError {
  override readonly name = 'SelectionError';
  constructor(message: string) {
    super(message, 'series-selection');
  }
}
