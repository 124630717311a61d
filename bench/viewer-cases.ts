/**
 * The cases of the viewer benchmark: the small head CT of the service tests (one NIfTI file) and
 * the small diffusion phantom (a DWI + ADC NIfTI pair), each in distinct variants (one air voxel
 * changed) so that the service's content key does not fold repeated uploads into one study.
 */
import { writeNifti } from '../src/io/nifti/write-nifti.js';
import { diffusionPhantom } from '../src/pipeline/test-fixtures.js';
import { smallHeadCt } from '../src/service/test-fixtures.js';

export interface BenchFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface BenchCase {
  readonly name: string;
  /** Variant `index` of the case's files (same analysis, distinct bytes). */
  files(index: number): BenchFile[];
}

const gz = (volume: Parameters<typeof writeNifti>[0]) => writeNifti(volume, { gzip: true });

export function benchCases(): BenchCase[] {
  const ct = smallHeadCt();
  const phantom = diffusionPhantom();
  return [
    {
      name: 'CT 48×44×14 (ICH model)',
      files: (index) => {
        const data = Int16Array.from(ct.data);
        data[0] = -1000 + index;
        return [{ name: 'ct.nii.gz', bytes: gz({ ...ct, data }) }];
      },
    },
    {
      name: 'DWI + ADC 40×44×30 (infarct model)',
      files: (index) => {
        const data = Float32Array.from(phantom.dwi.data);
        data[0] = index;
        return [
          { name: 'dwi.nii.gz', bytes: gz({ ...phantom.dwi, data }) },
          { name: 'adc.nii.gz', bytes: gz(phantom.adc) },
        ];
      },
    },
  ];
}
