/**
 * Where a case of an exported dataset goes, by layout. Case names come from counters only
 * (never from patient data, file names or DICOM attributes):
 *
 * - `nnunet` (nnU-Net v2 raw): `imagesTr/case_0001_0000.nii.gz` (+ `_0001` ADC),
 *   `labelsTr/case_0001.nii.gz`, `dataset.json` (channel_names, labels, numTraining,
 *   file_ending);
 * - `isles22` (ISLES'22, BIDS-like): `rawdata/sub-strokecase0001/ses-0001/dwi/
 *   sub-strokecase0001_ses-0001_dwi.nii.gz` and `…_adc.nii.gz`,
 *   `derivatives/sub-strokecase0001/ses-0001/sub-strokecase0001_ses-0001_msk.nii.gz`,
 *   `dataset_description.json`.
 */
import type { Task } from '../pipeline/select-inputs.js';

export const DATASET_LAYOUTS = ['nnunet', 'isles22'] as const;
export type DatasetLayout = (typeof DATASET_LAYOUTS)[number];

/** Channel names in the model's input order (nnU-Net's "CT" selects its CT normalisation). */
export const CHANNELS: Readonly<Record<Task, readonly string[]>> = {
  ich: ['CT'],
  infarct: ['DWI', 'ADC'],
};

export interface CasePaths {
  readonly caseId: string;
  /** One per channel, relative to the output folder. */
  readonly images: readonly string[];
  readonly labels: string;
}

export function casePaths(layout: DatasetLayout, task: Task, n: number): CasePaths {
  const number = String(n).padStart(4, '0');
  if (layout === 'nnunet') {
    const caseId = `case_${number}`;
    return {
      caseId,
      images: CHANNELS[task].map(
        (_, c) => `imagesTr/${caseId}_${String(c).padStart(4, '0')}.nii.gz`,
      ),
      labels: `labelsTr/${caseId}.nii.gz`,
    };
  }
  const sub = `sub-strokecase${number}`;
  const stem = `${sub}_ses-0001`;
  return {
    caseId: sub,
    images: [
      `rawdata/${sub}/ses-0001/dwi/${stem}_dwi.nii.gz`,
      `rawdata/${sub}/ses-0001/dwi/${stem}_adc.nii.gz`,
    ],
    labels: `derivatives/${sub}/ses-0001/${stem}_msk.nii.gz`,
  };
}

/** The layout's description file (name → JSON). */
export function datasetDescription(options: {
  readonly layout: DatasetLayout;
  readonly task: Task;
  readonly labelNames: Readonly<Record<number, string>>;
  readonly cases: number;
}): { readonly name: string; readonly json: unknown } {
  const { task, labelNames } = options;
  const description = `NeuroTriage ${task} results accepted or edited by reviewers. Research use only; not a medical device.`;
  if (options.layout === 'nnunet')
    return {
      name: 'dataset.json',
      json: {
        name: `NeuroTriage_${task}_reviewed`,
        description,
        channel_names: Object.fromEntries(CHANNELS[task].map((c, n) => [String(n), c])),
        labels: {
          background: 0,
          ...Object.fromEntries(Object.entries(labelNames).map(([v, name]) => [name, Number(v)])),
        },
        numTraining: options.cases,
        file_ending: '.nii.gz',
      },
    };
  return {
    name: 'dataset_description.json',
    json: {
      Name: `NeuroTriage ${task} reviewed (ISLES'22 layout)`,
      BIDSVersion: '1.8.0',
      DatasetType: 'raw',
      GeneratedBy: [{ Name: 'neurotriage export-dataset', Description: description }],
    },
  };
}
