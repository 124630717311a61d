/**
 * A NIfTI file as a catalog entry (one series, one or more volumes). Listing reads the header
 * only (a `.nii.gz` inflates just its first bytes): the voxels are decoded by `load`, after the
 * declared size has passed the load limit (load-limit.ts), so `info` on a file that declares a
 * huge volume costs a header, and `analyze` refuses it before inflating anything.
 */
import { orientationCode } from '../core/reorient.js';
import type { CatalogEntry } from './catalog-entry.js';
import type { InputFile } from './input-file.js';
import { checkDeclaredSize } from './load-limit.js';
import { geometryFromNiftiHeader } from './nifti/nifti-geometry.js';
import { niftiLayout, readNifti, readNiftiHeader } from './nifti/read-nifti.js';
import { FormatError } from '../core/errors.js';
import { clean } from './series-summary.js';
import { diffusionFromBval, parseBval } from './nifti-sidecars.js';
import type { DiffusionInfo } from './dicom/diffusion-tags.js';
import { isGzip } from './nifti/nifti-gzip.js';

/** The file's `.bval` sidecar, when one came with it. */
export interface NiftiSidecars {
  readonly bval?: InputFile;
}

export function isNiftiName(name: string): boolean {
  return /\.nii(\.gz)?$/i.test(name);
}

export function niftiEntry(file: InputFile, sidecars: NiftiSidecars = {}): CatalogEntry {
  const header = readNiftiHeader(file.bytes);
  if (header.magic === 'ni1' || header.magic === 'ni2')
    throw new FormatError(`${file.name} is the header of a two-file NIfTI pair (.hdr/.img)`);
  const layout = niftiLayout(header);
  const needed = layout.dataOffset + layout.dataBytes;
  // A plain file's length says at once whether it is complete; a gzip one's when it is read.
  if (!isGzip(file.bytes) && file.bytes.length < needed)
    throw new FormatError(
      `truncated NIfTI file: expected ${needed} bytes (data offset ${layout.dataOffset} + ` +
        `${layout.dataBytes} voxel bytes), got ${file.bytes.length}`,
    );
  const { geometry: g, notes } = geometryFromNiftiHeader(header);
  const diffusion: DiffusionInfo[] = sidecars.bval
    ? diffusionFromBval({
        bValues: parseBval(new TextDecoder().decode(sidecars.bval.bytes), sidecars.bval.name),
        volumes: layout.frames,
        bvalName: sidecars.bval.name,
        niftiName: file.name,
      })
    : [];
  const summary = clean({
    id: file.name,
    format: 'nifti' as const,
    description: header.descrip.trim() || undefined,
    modality: 'OT',
    files: 1,
    images: g.shape[2] * layout.frames,
    volumes: layout.frames,
    shape: g.shape,
    spacingMm: g.spacingMm,
    orientation: orientationCode(g),
    ...(diffusion.length > 0 && { bValues: diffusion.map((d) => Math.round(d.bValue)) }),
    warnings: notes,
  });
  return {
    id: file.name,
    summary,
    load: async (options = {}) => {
      checkDeclaredSize(summary, options);
      const image = readNifti(file.bytes);
      return Promise.resolve({ volumes: image.volumes, diffusion, warnings: image.notes });
    },
  };
}
