/**
 * What the service benchmark sends and to what: the configurations under test (the embedded
 * service with N worker threads; `serve --redis` with N `neurotriage worker` processes), the
 * synthetic studies (the small head CT of the service tests as DICOM slices, and the small
 * diffusion phantom as a DWI + ADC NIfTI pair, alternating, each one distinct so that the
 * service's content key does not fold them into one study).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNiftiFile } from '../src/io/nifti/nifti-file.js';
import { diffusionPhantom } from '../src/pipeline/test-fixtures.js';
import { named, smallHeadCtDicom } from '../src/service/test-fixtures.js';

/** One configuration of the service under load. */
export type ServiceConfig =
  /** `startService` with `workers` analysis threads in the benchmark's process. */
  | { readonly kind: 'embedded'; readonly workers: number }
  /**
   * `startService({ redis })` (what `serve --redis` runs) in the benchmark's process and `workers`
   * `neurotriage worker --concurrency 1 --threads <threads>` processes; `url` absent: a
   * throw-away redis-server per run.
   */
  | {
      readonly kind: 'redis';
      readonly url?: string;
      readonly workers: number;
      readonly threads: number;
    };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function configName(c: ServiceConfig): string {
  return c.kind === 'embedded'
    ? `embedded, ${plural(c.workers, 'worker')}`
    : `Redis, serve + ${c.workers === 1 ? '1 worker process' : `${c.workers} worker processes`}, each 1 analysis thread`;
}

export interface StudyPayload {
  readonly kind: 'CT' | 'DWI';
  readonly files: { name: string; bytes: Uint8Array }[];
}

/** Study `index`: even → CT (14 DICOM slices, 48×44), odd → DWI + ADC (40×44×30 NIfTI). */
export function makeStudies(count: number): StudyPayload[] {
  const dwiPair = diffusionPairMaker();
  try {
    return Array.from({ length: count }, (_, i) =>
      i % 2 === 0
        ? { kind: 'CT' as const, files: named(smallHeadCtDicom(`service-bench-${i}`)) }
        : { kind: 'DWI' as const, files: dwiPair.make(i) },
    );
  } finally {
    dwiPair.dispose();
  }
}

function diffusionPairMaker() {
  const dir = mkdtempSync(join(tmpdir(), 'nt-service-bench-'));
  const phantom = diffusionPhantom();
  return {
    /** The phantom with one air voxel set to `index`: same analysis, distinct content. */
    make(index: number): { name: string; bytes: Uint8Array }[] {
      const dwi = { ...phantom.dwi, data: Float32Array.from(phantom.dwi.data) };
      dwi.data[0] = index;
      const files = [
        { name: 'dwi.nii.gz', volume: dwi },
        { name: 'adc.nii.gz', volume: phantom.adc },
      ];
      return files.map(({ name, volume }) => {
        const path = join(dir, name);
        writeNiftiFile(path, volume);
        return { name, bytes: new Uint8Array(readFileSync(path)) };
      });
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
