/**
 * The series catalog of files already in memory (bytes + names): NIfTI files (with their .bval
 * sidecars) and DICOM series side by side. No file system: a browser worker runs it unchanged on
 * dropped files. `series-catalog.ts` re-exports it beside `openCatalog` (paths), which also
 * registers Node's decoder of 12-bit lossy JPEG; without it (a browser) such series are refused
 * with the decoder's message.
 */
import { isUserInputError } from '../core/errors.js';
import type { CatalogEntry, LoadOptions } from './catalog-entry.js';
import { type AssembledSeries, assembleSeries } from './dicom/assemble-series.js';
import { type DicomScan, scanDicom } from './dicom/scan-dicom.js';
import { dicomSourceReference } from './dicom/source-reference.js';
import { planStack } from './dicom/stack-geometry.js';
import type { InputFile } from './input-file.js';
import { checkDeclaredSize } from './load-limit.js';
import { isNiftiName, niftiEntry } from './nifti-entry.js';
import { isSidecarName, niftiStem } from './nifti-sidecars.js';
import { summariseDicomSeries } from './series-summary.js';

export interface Catalog {
  readonly entries: CatalogEntry[];
  /** Files that were not used, and why (not DICOM, truncated, not an image…). */
  readonly skipped: { name: string; reason: string }[];
}

export interface CatalogOptions {
  readonly onScanProgress?: (done: number, total: number) => void;
}

export function catalogFromFiles(
  files: readonly InputFile[],
  options: CatalogOptions = {},
): Catalog {
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
