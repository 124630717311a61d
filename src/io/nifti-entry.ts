/** A NIfTI file as a catalog entry (one series, one or more volumes). */
import { orientationCode } from '../core/reorient.js';
import type { CatalogEntry } from './catalog-entry.js';
import type { InputFile } from './input-files.js';
import { readNifti } from './nifti/read-nifti.js';
import { clean } from './series-summary.js';
import { diffusionFromBval, parseBval } from './nifti-sidecars.js';
import type { DiffusionInfo } from './dicom/diffusion-tags.js';

/** The file's `.bval` sidecar, when one came with it. */
export interface NiftiSidecars {
  readonly bval?: InputFile;
}

export function isNiftiName(name: string): boolean {
  return /\.nii(\.gz)?$/i.test(name);
}

export function niftiEntry(file: InputFile, sidecars: NiftiSidecars = {}): CatalogEntry {
  const image = readNifti(file.bytes);
  const first = image.volumes[0];
  if (!first) throw new Error(`internal: ${file.name} has no volume`);
  const g = first.geometry;
  const diffusion: DiffusionInfo[] = sidecars.bval
    ? diffusionFromBval({
        bValues: parseBval(new TextDecoder().decode(sidecars.bval.bytes), sidecars.bval.name),
        volumes: image.volumes.length,
        bvalName: sidecars.bval.name,
        niftiName: file.name,
      })
    : [];
  return {
    id: file.name,
    summary: clean({
      id: file.name,
      format: 'nifti' as const,
      description: image.header.descrip || undefined,
      modality: first.meta.modality,
      files: 1,
      images: g.shape[2] * image.volumes.length,
      volumes: image.volumes.length,
      shape: g.shape,
      spacingMm: g.spacingMm,
      orientation: orientationCode(g),
      ...(diffusion.length > 0 && { bValues: diffusion.map((d) => Math.round(d.bValue)) }),
      warnings: image.notes,
    }),
    load: () => Promise.resolve({ volumes: image.volumes, diffusion, warnings: image.notes }),
  };
}
