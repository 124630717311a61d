/**
 * What a reviewer does to a finished study: a decision (accept / reject, with a note) or an
 * edited mask, each recorded as the study's next review version (review-store.ts). A mask edit
 * is checked (label-edit.ts), stored as `reviews/<version>/labels.nii.gz` and, when the input
 * was DICOM, `segmentation.dcm` (reviewed-segmentation.ts, the source references read back from
 * the stored input); the original result is never touched. Refusals: `ReviewRefusal` (404 no
 * such study, 409 no result) and `UserInputError` (400 a bad label map).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createVolume } from '../core/volume.js';
import { softwareVersion } from '../host/analyze-outputs.js';
import { readNiftiFile } from '../io/nifti/nifti-file.js';
import { writeNifti } from '../io/nifti/write-nifti.js';
import { reviewedSegmentation } from '../report/reviewed-segmentation.js';
import type { ArtefactStore } from './artefact-store.js';
import { readEditedLabels } from './label-edit.js';
import { type ResultReport, readResultReport } from './result-report.js';
import {
  type ReviewDecision,
  type ReviewRecord,
  type ReviewStore,
  type Reviewer,
} from './review-store.js';
import { type ReviewFileName, commitReviewFiles, stageReviewFiles } from './review-folder.js';
import { readStoredInputs } from './stored-inputs.js';
import type { StudyStore } from './study-store.js';

/** Longest note on a decision, characters. */
export const MAX_NOTE_CHARS = 2000;

/** A review refused for the study's state; `statusCode` is the HTTP answer. */
export class ReviewRefusal extends Error {
  constructor(
    message: string,
    readonly statusCode: 404 | 409,
  ) {
    super(message);
    this.name = 'ReviewRefusal';
  }
}

export interface ReviewActionsOptions {
  readonly store: StudyStore;
  readonly reviews: ReviewStore;
  readonly artefacts: ArtefactStore;
}

export class ReviewActions {
  constructor(private readonly options: ReviewActionsOptions) {}

  decide(options: {
    readonly studyId: string;
    readonly reviewer: Reviewer;
    readonly decision: ReviewDecision;
    readonly note?: string;
  }): ReviewRecord {
    this.finishedReport(options.studyId);
    return this.options.reviews.add({
      studyId: options.studyId,
      reviewer: options.reviewer,
      review: {
        kind: 'decision',
        decision: options.decision,
        ...(options.note !== undefined && { note: options.note }),
      },
    });
  }

  async saveMask(options: {
    readonly studyId: string;
    readonly reviewer: Reviewer;
    /** The edited label map as NIfTI bytes (gzipped or not). */
    readonly bytes: Uint8Array;
  }): Promise<ReviewRecord> {
    const { studyId } = options;
    const { artefacts, reviews } = this.options;
    const report = this.finishedReport(studyId);
    const original = readNiftiFile(join(artefacts.resultDir(studyId), 'labels.nii.gz'));
    const grid = original.volumes[0]!.geometry;
    const edited = readEditedLabels({ bytes: options.bytes, grid, labelNames: report.labelNames });
    const labelsBytes = gzipSync(
      writeNifti(createVolume(grid, edited.labels, { modality: 'SEG', units: 'label' }), {
        description: `neurotriage ${report.task} labels, reviewed`,
        gzip: false,
      }),
      { level: 6 },
    );
    const dicom = artefacts.outputPath(studyId, 'segmentation.dcm')
      ? await this.sourcesFor(studyId, report)
      : undefined;
    // The version is numbered inside the transaction; the SEG names it, so it is made there too
    // (after the slow part above: the input read back and the label map checked).
    let staged: string | undefined;
    try {
      return reviews.add({
        studyId,
        reviewer: options.reviewer,
        review: { kind: 'mask', volumesMl: edited.volumesMl },
        beforeInsert: (version) => {
          const files: Partial<Record<ReviewFileName, Uint8Array>> = {
            'labels.nii.gz': labelsBytes,
          };
          if (dicom)
            files['segmentation.dcm'] = reviewedSegmentation({
              task: report.task,
              model: report.model,
              softwareVersion: softwareVersion(),
              sources: dicom.sources,
              geometry: dicom.geometry,
              labels: edited.labels,
              labelNames: report.labelNames,
              version,
              notice: report.notice,
            });
          staged = stageReviewFiles(artefacts, files);
          const names = commitReviewFiles(artefacts, staged, studyId, version);
          staged = undefined;
          return names;
        },
      });
    } finally {
      if (staged) rmSync(staged, { recursive: true, force: true });
    }
  }

  /** The study's result report; refused when there is no study or no result. */
  private finishedReport(studyId: string): ResultReport {
    const study = this.options.store.study(studyId);
    if (!study) throw new ReviewRefusal('no such study', 404);
    const report =
      study.status === 'done' ? readResultReport(this.options.artefacts, studyId) : undefined;
    if (!report)
      throw new ReviewRefusal(
        `the study has no result to review: it is ${study.status}${study.reason ? ` (${study.reason})` : ''}`,
        409,
      );
    return report;
  }

  /** The DICOM series the result lies on, read back from the stored input. */
  private async sourcesFor(studyId: string, report: ResultReport) {
    const { selected } = await readStoredInputs({
      artefacts: this.options.artefacts,
      studyId,
      task: report.task,
    });
    const image = selected.images[0];
    if (!selected.sources?.length || !image) return undefined;
    return { sources: selected.sources, geometry: image.geometry };
  }
}
