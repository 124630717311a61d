/**
 * The analysed scans as NIfTI beside the label map, one file per model input channel
 * (`scan-ct.nii.gz`, or `scan-dwi.nii.gz` + `scan-adc.nii.gz`), each on its own native grid:
 * what a viewer shows under the overlay without reading DICOM again. The bytes come from
 * report/scan-nifti.ts (the browser worker makes the same ones); this file writes them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Volume } from '../core/volume.js';
import { scanFileName, scanNifti } from '../report/scan-nifti.js';

export { scanFileName } from '../report/scan-nifti.js';

export interface ScanOutputOptions {
  readonly out: string;
  /** The model card's channel names, in the images' order. */
  readonly channels: readonly string[];
  readonly images: readonly Volume[];
}

/** Writes each image; returns the paths by file key (`scan-dwi`, …). */
export function writeScanOutputs(options: ScanOutputOptions): Record<string, string> {
  const files: Record<string, string> = {};
  options.images.forEach((image, i) => {
    const channel = options.channels[i];
    const name = scanFileName(channel ?? `image${i + 1}`);
    const path = join(options.out, name);
    writeFileSync(path, scanNifti(image, channel));
    files[name.replace(/\.nii\.gz$/, '')] = path;
  });
  return files;
}
