/**
 * Test support: the real scans of ../shared/data that the image checks must accept, read as the
 * pipeline reads them (series catalog → `selectInputs`, ADC normalised to mm²/s) with the brain
 * mask the pipeline would use (affine registration to the task's template, `brainMaskFor`;
 * undefined when the registration is not accepted). A missing file fails with a clear message.
 */
import { dataRoot } from '../../io/data-root.js';
import { referenceLoader } from '../../io/reference-loader.js';
import { openCatalog } from '../../io/series-catalog.js';
import type { Volume } from '../../core/volume.js';
import { normaliseAdc } from '../../preprocess/diffusion-maps.js';
import { sharedDataPath } from '../../testing/shared-data.js';
import type { NativeMask } from '../intracranial-mask.js';
import { brainMaskFor, registerStudy } from '../locate-findings.js';
import { createResources } from '../resources.js';
import { selectInputs } from '../select-inputs.js';
import { TASK_TRAITS, type TaskSpec } from '../task-spec.js';

export interface RealScan {
  readonly name: string;
  readonly task: 'ich' | 'infarct';
  readonly paths: () => string[];
}

const canon =
  (file: string): (() => string[]) =>
  () => [sharedDataPath('cases', 'dwi-canon-b1500', file)];
const dicom =
  (folder: string): (() => string[]) =>
  () => [sharedDataPath('dicom', folder, 'dicom')];

export const REAL_CT: RealScan = {
  name: 'ct-head-ge-tilt',
  task: 'ich',
  paths: dicom('ct-head-ge-tilt'),
};

/** The GE DWI (2 slices) is left out: the pipeline already refuses it (its ADC is 0). */
export const REAL_DIFFUSION: readonly RealScan[] = [
  {
    name: 'isles22-mca-example (infarct)',
    task: 'infarct',
    paths: () =>
      ['dwi.nii.gz', 'adc.nii.gz'].map((f) => sharedDataPath('cases', 'isles22-mca-example', f)),
  },
  {
    name: 'canon-b1500 3000 (nifti)',
    task: 'infarct',
    paths: canon('3000_DTI_PA-ortho_cl.nii.gz'),
  },
  {
    name: 'canon-b1500 14000 (nifti)',
    task: 'infarct',
    paths: canon('14000_DTI_PA-ortho-HT_cl.nii.gz'),
  },
  {
    name: 'canon-b1500 15000 (nifti)',
    task: 'infarct',
    paths: canon('15000_DTI_PA-ortho-HT-VT_cl.nii.gz'),
  },
  { name: 'canon-b1500 (dicom)', task: 'infarct', paths: dicom('dwi-canon-b1500') },
  { name: 'philips-b1000', task: 'infarct', paths: dicom('dwi-philips-b1000') },
  { name: 'philips-b2000', task: 'infarct', paths: dicom('dwi-philips') },
  { name: 'siemens-xa30-b2500', task: 'infarct', paths: dicom('dwi-siemens-xa30') },
  { name: 'uih-b928', task: 'infarct', paths: dicom('dwi-uih') },
];

export interface LoadedScan {
  /** [ct] in HU, or [dwi, adc in mm²/s]. */
  readonly images: Volume[];
  readonly inside: NativeMask | undefined;
}

/** One process-wide set of templates and masks (no model is loaded). */
const resources = createResources({
  ...referenceLoader(() => dataRoot()),
  model: () => Promise.reject(new Error('the image checks need no model')),
});

export async function loadRealScan(scan: RealScan): Promise<LoadedScan> {
  const entries = scan.paths().flatMap((p) => openCatalog(p).entries);
  const selected = await selectInputs({ entries, task: scan.task });
  const images =
    scan.task === 'ich'
      ? selected.images
      : [selected.images[0]!, normaliseAdc(selected.images[1]!)];
  const first = images[0]!;
  // registerStudy reads only the template kind of the task's spec.
  const spec = TASK_TRAITS[scan.task] as TaskSpec;
  const registered = registerStudy({ spec, image: first, resources });
  const inside = brainMaskFor({ registered, geometry: first.geometry, resources });
  return { images, inside };
}
