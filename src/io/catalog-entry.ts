/**
 * One series of an input as the catalog lists it (series-catalog.ts): a summary for listing and
 * selection, and a `load` that returns its volumes in native geometry. Made per format by
 * series-catalog.ts (DICOM) and nifti-entry.ts (NIfTI).
 */
import type { DicomSourceReference } from '../core/dicom-source.js';
import type { Volume } from '../core/volume.js';
import type { DiffusionInfo } from './dicom/diffusion-tags.js';
import type { LoadLimit } from './load-limit.js';
import type { SeriesSummary } from './series-summary.js';

export interface LoadedSeries {
  readonly volumes: Volume[];
  readonly diffusion: (DiffusionInfo | undefined)[];
  readonly warnings: string[];
  /** DICOM series only: what derived outputs (SEG, SR) reference; absent for NIfTI. */
  readonly source?: DicomSourceReference;
}

export interface CatalogEntry {
  readonly id: string;
  readonly summary: SeriesSummary;
  readonly load: (options?: LoadOptions) => Promise<LoadedSeries>;
}

export interface LoadOptions extends LoadLimit {
  readonly onProgress?: (done: number, total: number) => void;
}
