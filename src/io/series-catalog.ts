/**
 * One list of the image series found in an input, whatever its format: DICOM series (from a
 * folder, a zip or single files) and NIfTI files side by side. Each entry has a summary for
 * listing/selection and a `load` that returns its volumes in native geometry.
 */
import { UserInputError, isUserInputError } from '../core/errors.js';
import type { CatalogEntry, LoadOptions } from './catalog-entry.js';
import { type AssembledSeries, assembleSeries } from './dicom/assemble-series.js';
import { findSeries } from './dicom/group-series.js';
import { type DicomScan, scanDicom } from './dicom/scan-dicom.js';
import { dicomSourceReference } from './dicom/source-reference.js';
import { planStack } from './dicom/stack-geometry.js';
import { type GatherOptions, type InputFile, gatherInputFiles } from './input-files.js';
import { checkDeclaredSize } from './load-limit.js';
import { isNiftiName, niftiEntry } from './nifti-entry.js';
import { isSidecarName, niftiStem } from './nifti-sidecars.js';
import { summariseDicomSeries } from './series-summary.js';

// The entry types are part of the catalog's interface; they live in catalog-entry.ts so that the
// per-format entries (nifti-entry.ts) need not import the catalog.
export type { CatalogEntry, LoadedSeries, LoadOptions } from './catalog-entry.js';

export interface Catalog {
  readonly entries: CatalogEntry[];
  /** Files that were not used, and why (not DICOM, truncated, not an image…). */
  readonly skipped: { name: string; reason: string }[];
}

export interface OpenOptions extends GatherOptions {
  readonly onScanProgress?: (done: number, total: number) => void;
}

/** Reads a path (folder, zip, DICOM or NIfTI file) and lists every series in it. */
export function openCatalog(path: string, options: OpenOptions = {}): Catalog {
  const gathered = gatherInputFiles(path, options);
  const catalog = catalogFromFiles(gathered.files, options);
  return { ...catalog, skipped: [...gathered.skipped, ...catalog.skipped] };
}

export function catalogFromFiles(files: readonly InputFile[], options: OpenOptions = {}): Catalog {
  const niftiFiles = files.filter((f) => isNiftiName(f.name));
  const sidecars = files.filter((f) => isSidecarName(f.name));
  const others = files.filter((f) => !isNiftiName(f.name) && !isSidecarName(f.name));
  const stems = new Set(niftiFiles.map((f) => niftiStem(f.name)));
  const entries: CatalogEntry[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const f of niftiFiles) {
    try {
      const bval = sidecars.find((s) => s.name === `${niftiStem(f.name)}.bval`);
      entries.push(niftiEntry(f, bval ? { bval } : {}));
    } catch (e) {
      if (!isUserInputError(e)) throw e;
      skipped.push({ name: f.name, reason: e.message });
    }
  }
  for (const s of sidecars)
    if (!stems.has(s.name.replace(/\.(bval|bvec)$/i, '')))
      skipped.push({ name: s.name, reason: 'a b-value/vector sidecar without its NIfTI file' });
  if (others.length > 0) {
    const scan = scanDicom(others, { onProgress: options.onScanProgress });
    skipped.push(...scan.skipped);
    entries.push(...dicomEntries(scan));
  }
  return { entries, skipped };
}

function dicomEntries(scan: DicomScan): CatalogEntry[] {
  return scan.series.map((group) => {
    let planned: AssembledSeries['plan'] | undefined;
    let planError: string | undefined;
    try {
      planned = planStack(group.slices);
    } catch (e) {
      if (!isUserInputError(e)) throw e;
      planError = e.message;
    }
    const summary = summariseDicomSeries(group, planned, planError);
    return {
      id: group.id,
      summary,
      load: async (options: LoadOptions = {}) => {
        checkDeclaredSize(summary, options);
        const out = await assembleSeries(group, scan.files, options);
        const source = dicomSourceReference(group, scan.files);
        return {
          volumes: out.volumes,
          diffusion: out.diffusion,
          warnings: out.warnings,
          ...(source && { source }),
        };
      },
    };
  });
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
