/**
 * Training arrays for `neurotriage train`: synthetic cases from the training sites, passed
 * through exactly the preprocessing used at inference (`prepareModelInput`), written as
 * `.npy` with the `index.json` that `training/` reads. Every tenth case is validation.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Vec3 } from '../core/vec.js';
import { dataRoot } from '../io/data-root.js';
import { writeNpyFile } from '../io/npy.js';
import { loadSynthResources } from '../io/reference-data.js';
import { prepareLabelMap, prepareModelInput } from '../preprocess/model-input.js';
import { type Normalisation, NORMALISATION_TEXT } from '../preprocess/model-normalisation.js';
import { ICH_LABELS, INFARCT_LABELS, type SynthTask } from '../synth/synth-case.js';
import { synthesizeCase } from '../synth/synthesize.js';
import {
  type DiffusionBackground,
  synthesizeRealBackgroundCase,
} from '../synth/mr/real-background-case.js';
import { mrTemplateTissue } from '../synth/mr/mr-template-tissue.js';
import type { SynthCase } from '../synth/synth-case.js';
import { caseId, caseSeed } from '../synth/synthesize.js';

export interface TrainArraysOptions {
  readonly task: SynthTask;
  readonly cases: number;
  readonly seed: number;
  readonly spacingMm: Vec3;
  readonly out: string;
  readonly data?: string;
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Infarct only: real normal scans to implant lesions into, and the share of cases made on
   * them (the rest fully synthetic). Backgrounds take turns; each appears with and without
   * lesions, re-made and as acquired.
   */
  readonly realBackgrounds?: {
    readonly backgrounds: readonly DiffusionBackground[];
    readonly share: number;
  };
}

export function modelInputFor(task: SynthTask): {
  normalisation: Normalisation;
  channels: string[];
} {
  return task === 'ich'
    ? { normalisation: 'ct-brain-window', channels: ['ct'] }
    : { normalisation: 'dwi-adc', channels: ['dwi', 'adc'] };
}

export async function writeTrainingArrays(options: TrainArraysOptions): Promise<string> {
  const resources = loadSynthResources(dataRoot(options.data), options.task);
  const { normalisation, channels } = modelInputFor(options.task);
  const entries = [];
  const real = options.realBackgrounds;
  const tissue = resources.mr && real ? mrTemplateTissue(resources.mr, resources.lobes) : undefined;
  let realCount = 0;
  const makeCase = (index: number): SynthCase => {
    const backgrounds = real?.backgrounds ?? [];
    const isReal =
      backgrounds.length > 0 &&
      Math.floor((index + 1) * real!.share) > Math.floor(index * real!.share);
    if (!isReal || !tissue || !resources.mr || !resources.infarctShapes)
      return synthesizeCase(resources, { task: options.task, seed: options.seed, index });
    const background = backgrounds[realCount % backgrounds.length]!;
    // Each background in turn, in rounds of four: re-made with lesions, as acquired without,
    // as acquired with lesions, re-made without — the scan as acquired is half its appearances.
    const round = Math.floor(realCount / backgrounds.length) % 4;
    const negative = round === 1 || round === 3;
    const asAcquired = (round === 1 || round === 2) && background.trace !== undefined;
    realCount++;
    return synthesizeRealBackgroundCase(
      {
        mr: resources.mr,
        tissue,
        territories: resources.territories,
        infarctShapes: resources.infarctShapes,
      },
      background,
      {
        id: `${caseId(options.task, options.seed, index)}-real${asAcquired ? '-acq' : ''}`,
        seed: caseSeed(options.seed, index),
        negative,
        acquisition: asAcquired ? 'as-acquired' : 'remake',
      },
    );
  };
  for (let index = 0; index < options.cases; index++) {
    const c = makeCase(index);
    const input = prepareModelInput({
      images: channels.map((name) => c.images[name]!),
      spec: { spacingMm: options.spacingMm, orientation: 'LPS', normalisation },
    });
    const label = prepareLabelMap(c.label, input.grid);
    const [, z, y, x] = input.shape;
    const dir = join(options.out, 'cases', c.id);
    mkdirSync(dir, { recursive: true });
    await writeNpyFile(join(dir, 'image.npy'), { data: input.tensor, shape: [...input.shape] });
    await writeNpyFile(join(dir, 'label.npy'), { data: label, shape: [z, y, x] });
    entries.push({
      id: c.id,
      image: `cases/${c.id}/image.npy`,
      label: `cases/${c.id}/label.npy`,
      shape: input.shape,
      site: c.site,
      split: index % 10 === 9 ? 'val' : 'train',
    });
    options.onProgress?.(index + 1, options.cases);
  }
  const index = {
    version: 1,
    task: options.task,
    channels,
    labels: options.task === 'ich' ? ICH_LABELS : INFARCT_LABELS,
    spacingMm: options.spacingMm,
    normalisation,
    normalisationText: NORMALISATION_TEXT[normalisation],
    source: `neurotriage synth, seed ${options.seed}, ${options.cases} cases, training sites${real ? `; ${realCount} on real backgrounds (${real.backgrounds.map((b) => b.name).join(', ')})` : ''}`,
    cases: entries,
  };
  writeFileSync(join(options.out, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  return options.out;
}
