/**
 * The work for one synthetic case, shared by the main thread and the worker threads of
 * `neurotriage synth --jobs N`: synthesise, write NIfTI (and DICOM), summarise, and render what
 * the gallery and the report need. Case `index` always gives the same files, whichever
 * thread makes it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Volume } from '../core/volume.js';
import { writeVolumeSeries } from '../io/dicom/write-volume-series.js';
import { writeNiftiFile } from '../io/nifti/nifti-file.js';
import type { RgbImage } from '../render/bitmap-font.js';
import { type CaseSummary, summariseCase } from '../synth/case-summary.js';
import type { SynthResources } from '../synth/resources.js';
import type { SynthCase, SynthTask } from '../synth/synth-case.js';
import { caseId, caseSeed, synthesizeCase } from '../synth/synthesize.js';
import { type MrTemplateTissue, mrTemplateTissue } from '../synth/mr/mr-template-tissue.js';
import { UserInputError } from '../core/errors.js';
import { backgroundFolders, loadDiffusionBackgrounds } from './real-backgrounds.js';
import {
  type DiffusionBackground,
  synthesizeRealBackgroundCase,
} from '../synth/mr/real-background-case.js';
import { galleryTiles } from './synth-gallery.js';
import { type CaseAppearance, caseAppearance } from './synth-report.js';

export interface SynthJobOptions {
  readonly task: SynthTask;
  readonly seed: number;
  readonly out: string;
  readonly site?: string;
  readonly gridSpacingMm?: number;
  readonly dicom?: boolean;
  readonly gallery?: boolean;
  readonly report?: boolean;
  /** Infarct: implant into this real background folder (e.g. 'dicom/dwi-siemens-xa30'). */
  readonly background?: string;
}

/** A loaded real background and the template tissue the lesion planner needs. */
export interface JobBackground {
  readonly background: DiffusionBackground;
  readonly tissue: MrTemplateTissue;
}

export interface SynthJobResult {
  readonly index: number;
  /** The manifest line (JSON). */
  readonly line: string;
  readonly tiles: RgbImage[];
  readonly appearance?: CaseAppearance;
}

/** Fast gzip: synthetic noise barely compresses better at higher levels, and it costs seconds. */
const GZIP_LEVEL = 1;

/** Stored type of each image: CT as Int16 HU (lossless for whole HU), others as synthesised. */
function forWriting(name: string, v: Volume): Volume {
  if (name !== 'ct' || v.data instanceof Int16Array) return v;
  const data = new Int16Array(v.data.length);
  for (let n = 0; n < data.length; n++)
    data[n] = Math.max(-32768, Math.min(32767, Math.round(v.data[n]!)));
  return { ...v, data };
}

/** Each image of a case as a DICOM series under `<case>/dicom/<image>/`. */
function writeDicomSeries(
  out: string,
  dir: string,
  c: SynthCase,
  files: Record<string, string>,
): void {
  const tilt = c.acquisition.tiltDeg;
  const bValue = c.acquisition.bValue;
  Object.entries(c.images).forEach(([name, volume], n) => {
    const folder = join(dir, 'dicom', name);
    mkdirSync(join(out, folder), { recursive: true });
    const slices = writeVolumeSeries(forWriting(name, volume), {
      key: c.id,
      patientId: c.id,
      seriesNumber: n + 1,
      seriesDescription: `synthetic ${name}`,
      modality: c.task === 'ich' ? 'CT' : 'MR',
      gantryTiltDeg: typeof tilt === 'number' ? tilt : undefined,
      bValue: name === 'dwi' && typeof bValue === 'number' ? bValue : undefined,
      imageType: name === 'adc' ? ['DERIVED', 'PRIMARY', 'ADC'] : undefined,
    });
    slices.forEach((bytes, k) =>
      writeFileSync(join(out, folder, `${String(k + 1).padStart(4, '0')}.dcm`), bytes),
    );
    files[`${name}Dicom`] = folder;
  });
}

export function runSynthJob(
  resources: SynthResources,
  options: SynthJobOptions,
  index: number,
  real?: JobBackground,
): SynthJobResult {
  const c =
    real && resources.mr && resources.infarctShapes
      ? synthesizeRealBackgroundCase(
          {
            mr: resources.mr,
            tissue: real.tissue,
            territories: resources.territories,
            infarctShapes: resources.infarctShapes,
          },
          real.background,
          {
            // The background's name in the id: runs with the same seed on two scanners give
            // different ids, so their sets can be pooled (a tuning set) without collisions.
            id: `${caseId(options.task, options.seed, index)}-real-${backgroundSlug(real.background.name)}`,
            seed: caseSeed(options.seed, index),
            negative: index % 2 === 1,
          },
        )
      : synthesizeCase(resources, {
          task: options.task,
          seed: options.seed,
          index,
          site: options.site,
          gridSpacingMm: options.gridSpacingMm,
        });
  const dir = join('cases', c.id);
  const files: Record<string, string> = {};
  for (const [name, volume] of Object.entries(c.images)) {
    files[name] = join(dir, `${name}.nii.gz`);
    writeNiftiFile(join(options.out, files[name]), forWriting(name, volume), {
      description: `synthetic ${name}`,
      gzipLevel: GZIP_LEVEL,
    });
  }
  if (options.dicom) writeDicomSeries(options.out, dir, c, files);
  files.label = join(dir, 'label.nii.gz');
  writeNiftiFile(join(options.out, files.label), c.label, {
    description: 'synthetic truth',
    gzipLevel: GZIP_LEVEL,
  });
  const summary: CaseSummary = summariseCase(c, resources);
  return {
    index,
    line: JSON.stringify({ ...summary, files, runSeed: options.seed, index }),
    tiles: options.gallery ? galleryTiles(c, summary) : [],
    appearance: options.report ? caseAppearance(c) : undefined,
  };
}

/** The real background of `--background`, loaded and registered (undefined without one). */
export async function jobBackground(
  root: string,
  job: SynthJobOptions,
  resources: SynthResources,
): Promise<JobBackground | undefined> {
  if (job.background === undefined) return undefined;
  const { backgrounds, skipped } = await loadDiffusionBackgrounds({ root, only: [job.background] });
  const background = backgrounds[0];
  if (!background || !resources.mr)
    throw new UserInputError(
      `--background ${job.background}: ${skipped[0]?.reason ?? `not one of ${backgroundFolders(root).join(', ')}`}`,
    );
  return { background, tissue: mrTemplateTissue(resources.mr, resources.lobes) };
}

/** 'dicom/dwi-philips-b1000' → 'philips-b1000': a short, file-name-safe scanner name. */
export function backgroundSlug(name: string): string {
  const last = name.split('/').pop() ?? name;
  return last.replace(/^dwi-/, '').replace(/[^A-Za-z0-9-]+/g, '-');
}
