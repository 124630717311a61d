/**
 * A reviewer's edited label map as DICOM SEG (BINARY), in the source's study like the
 * analysis's own SEG (dicom-outputs.ts) and with the same segments (segment-definitions.ts), but
 * Segment Algorithm Type SEMIAUTOMATIC (a model's result edited by hand), its own series
 * (number 9004, fresh UIDs per version) and "reviewed, version N" in its description.
 */
import type { DicomSourceReference } from '../core/dicom-source.js';
import type { Geometry } from '../core/geometry.js';
import { randomUid } from '../io/dicom/uid.js';
import { writeSegmentation } from '../io/dicom/write-seg.js';
import { TASK_TRAITS } from '../pipeline/task-spec.js';
import { segmentDefinitions } from './segment-definitions.js';

export const REVIEWED_SEG_SERIES_NUMBER = 9004;

export interface ReviewedSegmentationOptions {
  readonly task: 'ich' | 'infarct';
  readonly model: { readonly name: string; readonly version: string; readonly sha256: string };
  /** NeuroTriage's version, for the device identity. */
  readonly softwareVersion: string;
  /** Source series; the first is the one the labels' grid came from. */
  readonly sources: readonly DicomSourceReference[];
  readonly geometry: Geometry;
  readonly labels: Uint8Array;
  /** Label value → name (the model's labels). */
  readonly labelNames: Readonly<Record<number, string>>;
  /** The review version, named in the series description. */
  readonly version: number;
  readonly notice: string;
  readonly now?: Date;
}

/** The SEG's bytes. */
export function reviewedSegmentation(options: ReviewedSegmentationOptions): Uint8Array {
  const { task, model } = options;
  const word = TASK_TRAITS[task].findingWord;
  const written = writeSegmentation({
    labels: options.labels,
    geometry: options.geometry,
    segments: segmentDefinitions(task, options.labelNames),
    sources: options.sources,
    algorithm: { name: model.name, version: model.version },
    algorithmType: 'SEMIAUTOMATIC',
    device: {
      manufacturer: 'NeuroTriage',
      modelName: model.name,
      serialNumber: model.sha256.slice(0, 16),
      softwareVersions: [options.softwareVersion, model.version],
    },
    instance: {
      sopInstanceUid: randomUid(),
      seriesInstanceUid: randomUid(),
      seriesNumber: REVIEWED_SEG_SERIES_NUMBER,
      seriesDescription: `NeuroTriage ${word} SEG reviewed v${options.version} - research use only`,
      createdAt: options.now ?? new Date(),
    },
    dimensionOrganizationUid: randomUid(),
    fallbackFrameOfReferenceUid: randomUid(),
    contentLabel: `${word.toUpperCase()}_V${options.version}`.slice(0, 16),
    contentDescription: `NeuroTriage ${word}, reviewed and edited (version ${options.version}) - research use only`,
    imageComments: `${options.notice} Edited by a reviewer. Not for diagnosis.`,
  });
  return written.bytes;
}
