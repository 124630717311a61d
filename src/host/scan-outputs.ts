/**
 * The analysed scans as NIfTI beside the label map, one file per model input channel
 * (`scan-ct.nii.gz`, or `scan-dwi.nii.gz` + `scan-adc.nii.gz`), each on its own native grid:
 * what a viewer shows under the overlay without reading DICOM again. Integer-valued images
 * that fit (CT in HU, most DWI) are stored as int16, others as float32.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Volume } from '../core/volume.js';
import { writeNifti } from '../io/nifti/write-nifti.js';

export interface ScanOutputOptions {
  readonly out: string;
  /** The model card's channel names, in the images' order. */
  readonly channels: readonly string[];
  readonly images: readonly Volume[];
}

const INT16_MIN = -32768;
const INT16_MAX = 32767;

/** `scan-<channel>.nii.gz` for a channel name (lower case, letters and digits only). */
export function scanFileName(channel: string): string {
  const slug = channel.toLowerCase().replace(/[^a-z0-9]+/g, '-') || 'image';
  return `scan-${slug}.nii.gz`;
}

function fitsInt16(data: ArrayLike<number>): boolean {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isInteger(v) || v < INT16_MIN || v > INT16_MAX) return false;
  }
  return true;
}

/** Writes each image; returns the paths by file key (`scan-dwi`, …). */
export function writeScanOutputs(options: ScanOutputOptions): Record<string, string> {
  const files: Record<string, string> = {};
  options.images.forEach((image, i) => {
    const name = scanFileName(options.channels[i] ?? `image${i + 1}`);
    const path = join(options.out, name);
    const bytes = writeNifti(image, {
      description: `neurotriage scan ${options.channels[i] ?? ''}`.trim(),
      datatype: fitsInt16(image.data) ? 'int16' : 'float32',
      gzip: true,
      gzipLevel: 1,
    });
    writeFileSync(path, bytes);
    files[name.replace(/\.nii\.gz$/, '')] = path;
  });
  return files;
}
