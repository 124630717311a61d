/**
 * Every difference between the tasks, in one place. A `TaskSpec` is built from the model card
 * (channels, spacing, labels, the mirror axes the model was trained with, operating point) and
 * the per-task traits below (registration template, which measurements follow the
 * segmentation); the rest of the pipeline reads the spec instead of testing the task's name.
 */
import type { ModelCard } from '../models/model-card.js';
import type { MirrorAxis } from '../models/sliding-window.js';
import { ttaMirrorAxes } from '../models/tta-axes.js';
import type { Task } from './select-inputs.js';

export type TemplateKind = 'ct' | 'mr';

/** What a task does beyond segmenting, independent of the model. */
export interface TaskTraits {
  /** The template the first image is registered to: head CT → 'ct', DWI → 'mr' (MNI). */
  readonly templateKind: TemplateKind;
  /** ABC/2 of the largest lesion and midline shift on the CT (haemorrhage). */
  readonly haemorrhageMeasures: boolean;
  /** The model-free low-ADC volume on the second image (the ADC map). */
  readonly lowAdcYardstick: boolean;
  /** In words, for titles and DICOM descriptions. */
  readonly findingWord: string;
  /** The finding in the one-line summary. */
  readonly findingName: string;
  /** The summary lists the volume of each label (haemorrhage subtypes). */
  readonly summaryBySubtype: boolean;
  /** The summary says where by arterial territory (infarct) or by brain structure. */
  readonly summaryWhere: 'territory' | 'structure';
  /** DICOM modality of the images the task reads. */
  readonly modality: 'CT' | 'MR';
  /** The terminal's first line: what was looked for on which images. */
  readonly headline: string;
}

export const TASK_TRAITS: Readonly<Record<Task, TaskTraits>> = {
  ich: {
    templateKind: 'ct',
    haemorrhageMeasures: true,
    lowAdcYardstick: false,
    findingWord: 'haemorrhage',
    findingName: 'Intracranial haemorrhage',
    summaryBySubtype: true,
    summaryWhere: 'structure',
    modality: 'CT',
    headline: 'haemorrhage (CT)',
  },
  infarct: {
    templateKind: 'mr',
    haemorrhageMeasures: false,
    lowAdcYardstick: true,
    findingWord: 'infarct',
    findingName: 'Acute infarct',
    summaryBySubtype: false,
    summaryWhere: 'territory',
    modality: 'MR',
    headline: 'infarct (DWI + ADC)',
  },
};

export interface TaskSpec extends TaskTraits {
  readonly task: Task;
  /** Input channels in tensor order (card): ['ct'] or ['dwi', 'adc']. */
  readonly channels: readonly string[];
  /** Model voxel size, mm (card). */
  readonly spacingMm: readonly [number, number, number];
  /** Label value → name (card), background 0 not listed. */
  readonly labels: Readonly<Record<number, string>>;
  /** Mirror axes of test-time augmentation: those the model was trained with (card). */
  readonly mirrorAxes: readonly MirrorAxis[];
  /** Triage threshold on the highest lesion probability, or null (card). */
  readonly operatingPoint: number | null;
}

export function taskSpec(card: ModelCard): TaskSpec {
  return {
    ...TASK_TRAITS[card.task],
    task: card.task,
    channels: [...card.inputs.channels],
    spacingMm: card.inputs.spacingMm,
    labels: Object.fromEntries(Object.entries(card.labels).map(([k, name]) => [Number(k), name])),
    mirrorAxes: ttaMirrorAxes(card),
    operatingPoint: card.operatingPoint?.threshold ?? null,
  };
}
