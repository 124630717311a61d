/**
 * The images that scans are registered to (`../shared/data/templates`), read as plain volumes;
 * preparing them (pyramid, gradients) is the registration layer's job:
 * - 'ct': the CT template of older adults (Rorden et al. 2012), 2 mm MNI, whole head, in
 *   Cormack units (its skull-stripped version is not offered: whole-head CTs fitted to it land
 *   ~12 mm off, docs/registration.md);
 * - 'mr': the MNI ICBM 2009a symmetric T1 (1 mm; the nilearn copy is brain-extracted).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserInputError } from '../core/errors.js';
import type { Volume } from '../core/volume.js';
import { readNiftiFile } from './nifti/nifti-file.js';

export type RegistrationTemplateKind = 'ct' | 'mr';

export interface RegistrationTemplateImage {
  readonly kind: RegistrationTemplateKind;
  /** Stable name for reports, e.g. 'ct-older-adults/scct'. */
  readonly name: string;
  readonly image: Volume;
}

const FILES: Readonly<Record<RegistrationTemplateKind, readonly [string, string]>> = {
  ct: ['ct-older-adults', 'scct.nii.gz'],
  mr: ['mni-icbm152-2009a-sym', 'mni_icbm152_t1_tal_nlin_sym_09a_converted.nii.gz'],
};

export function loadRegistrationTemplate(
  root: string,
  kind: RegistrationTemplateKind,
): RegistrationTemplateImage {
  const [dir, file] = FILES[kind];
  const path = join(root, 'templates', dir, file);
  if (!existsSync(path))
    throw new UserInputError(
      `reference data missing: ../shared/data/templates/${dir}/${file}`,
      'no-data',
    );
  const image = readNiftiFile(path).volumes[0];
  if (!image) throw new UserInputError(`templates/${dir}/${file} holds no volume`);
  return { kind, name: `${dir}/${file.replace(/\.nii(\.gz)?$/, '')}`, image };
}
