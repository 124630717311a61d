/**
 * `analyze DWI B0 --b-value N`: two single-volume NIfTI files without `.bval` sidecars, the first
 * the diffusion-weighted image at b = N, the second the b0. Their b-values are handed to the
 * catalog as the sidecars dcm2niix would have written, so selection pairs them like any DWI + b0.
 */
import { UserInputError } from '../core/errors.js';
import type { CatalogEntry } from '../io/catalog-entry.js';
import { gatherInputFiles } from '../io/input-files.js';
import { isNiftiName } from '../io/nifti-entry.js';
import { readNifti } from '../io/nifti/read-nifti.js';
import { isSidecarName, niftiStem } from '../io/nifti-sidecars.js';
import { catalogFromFiles } from '../io/series-catalog.js';

const USAGE = 'e.g. analyze dwi.nii.gz b0.nii.gz --b-value 1000';

export function entriesWithBValue(inputs: readonly string[], bValue: number): CatalogEntry[] {
  if (!(bValue >= 50 && bValue <= 10_000))
    throw new UserInputError(
      `--b-value must be a diffusion weighting of 50–10000 s/mm², got ${bValue}`,
    );
  if (inputs.length !== 2)
    throw new UserInputError(
      `--b-value takes two NIfTI files, the DWI (b = ${bValue}) then the b0, got ${inputs.length} input(s) (${USAGE})`,
    );
  const files = inputs.flatMap((path, n) => {
    const gathered = gatherInputFiles(path).files;
    const nifti = gathered.find((f) => isNiftiName(f.name));
    if (!nifti || gathered.length > 1 + gathered.filter((f) => isSidecarName(f.name)).length)
      throw new UserInputError(`--b-value takes NIfTI files; ${path} is not one (${USAGE})`);
    if (gathered.some((f) => f.name === `${niftiStem(nifti.name)}.bval`))
      throw new UserInputError(
        `${nifti.name} has a .bval sidecar: its b-values are read from there, leave out --b-value`,
      );
    const volumes = readNifti(nifti.bytes).volumes.length;
    if (volumes !== 1)
      throw new UserInputError(
        `--b-value is for single-volume DWI and b0 files; ${nifti.name} has ${volumes} volumes: give a 4-D DWI its .bval instead`,
      );
    const b = n === 0 ? bValue : 0;
    return [
      nifti,
      { name: `${niftiStem(nifti.name)}.bval`, bytes: new TextEncoder().encode(`${b}\n`) },
    ];
  });
  if (files[0]!.name === files[2]!.name)
    throw new UserInputError(`--b-value needs two different files, got ${files[0]!.name} twice`);
  return catalogFromFiles(files).entries;
}
