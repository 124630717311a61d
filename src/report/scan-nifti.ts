/**
 * An analysed scan as NIfTI bytes for a viewer to show under the overlay (`scan-ct.nii.gz`, or
 * `scan-dwi.nii.gz` + `scan-adc.nii.gz`), on its native grid, and the label map likewise.
 * Integer-valued images that fit (CT in HU, most DWI) are stored as int16, others as float32.
 * Pure: the Node host writes the bytes to disk (host/scan-outputs.ts), a browser worker hands
 * them to the page.
 */
import { type Geometry } from '../core/geometry.js';
import { type Volume, createVolume } from '../core/volume.js';
import { writeNifti } from '../io/nifti/write-nifti.js';

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

/** One scan as gzipped NIfTI bytes. */
export function scanNifti(image: Volume, channel: string | undefined): Uint8Array {
  return writeNifti(image, {
    description: `neurotriage scan ${channel ?? ''}`.trim(),
    datatype: fitsInt16(image.data) ? 'int16' : 'float32',
    gzip: true,
    gzipLevel: 1,
  });
}

/** The label map (uint8 labels on the native grid) as gzipped NIfTI bytes. */
export function labelsNifti(options: {
  readonly grid: Geometry;
  readonly labels: Uint8Array;
  readonly task: string;
}): Uint8Array {
  return writeNifti(
    createVolume(options.grid, options.labels, { modality: 'SEG', units: 'label' }),
    { description: `neurotriage ${options.task} labels`, gzip: true, gzipLevel: 1 },
  );
}
