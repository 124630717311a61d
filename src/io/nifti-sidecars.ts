/**
 * FSL/dcm2niix sidecars of a NIfTI file: `stem.bval` (b-values, one per volume, s/mm²) and
 * `stem.bvec` (gradient directions, 3 rows). A `.bval` turns a 4-D NIfTI into a diffusion series:
 * b-values below 50 are b0, the others directional. Bytes in, values out: no file system.
 */
import { UserInputError } from '../core/errors.js';
import type { DiffusionInfo } from './dicom/diffusion-tags.js';

const SIDECAR = /\.(bval|bvec)$/i;

export function isSidecarName(name: string): boolean {
  return SIDECAR.test(name);
}

/** `dir/x.nii.gz` → `dir/x` (the stem its sidecars share). */
export function niftiStem(name: string): string {
  return name.replace(/\.nii(\.gz)?$/i, '');
}

/** Parses a `.bval` file: whitespace-separated non-negative numbers. */
export function parseBval(text: string, name: string): number[] {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) throw new UserInputError(`${name} holds no b-value`);
  return words.map((w) => {
    const b = Number(w);
    if (!Number.isFinite(b) || b < 0 || b > 100_000)
      throw new UserInputError(`${name}: '${w}' is not a b-value (s/mm², 0 … 100000)`);
    return b;
  });
}

/** Diffusion info per volume from a `.bval`, checked against the number of volumes. */
export function diffusionFromBval(options: {
  readonly bValues: readonly number[];
  readonly volumes: number;
  readonly bvalName: string;
  readonly niftiName: string;
}): DiffusionInfo[] {
  const { bValues, volumes, bvalName, niftiName } = options;
  if (bValues.length !== volumes)
    throw new UserInputError(
      `${bvalName} lists ${bValues.length} b-value(s) but ${niftiName} has ${volumes} volume(s): they must match one to one`,
    );
  return bValues.map((bValue) => ({
    bValue,
    kind: bValue < 50 ? 'b0' : 'directional',
    source: 'FSL .bval sidecar',
  }));
}
