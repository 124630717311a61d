/**
 * The results as DICOM objects in the source's study, for PACS and viewers (`analyze
 * --dicom-out DIR`; see docs/dicom-outputs.md), returned as bytes for the caller to write or send:
 *
 * - segmentation.dcm: DICOM SEG (BINARY), one segment per label of the model, on the native
 *   grid of the analysed series (series 9001);
 * - measurement-report.dcm: DICOM SR, TID 1500 measurement report (Comprehensive 3D SR)
 *   with per-segment volumes and lesion counts, the triage result and the model (series 9002);
 * - key-images.dcm: Secondary Capture, the overview montage with the overlay and a banner
 *   naming the result, the model and "research use only - not a medical device" (series 9003);
 * - overlay-series.dcm: Multi-frame True Color SC, every source slice with the lesion outline
 *   burned in, for PACS that show neither SEG nor SR (overlay-series.ts; series 9005).
 *
 * Every object gets fresh UIDs; the model as a device observer keeps one UID per model file.
 */
import { connectedComponents } from '../core/connected-components.js';
import type { DicomSourceReference } from '../core/dicom-source.js';
import type { Volume } from '../core/volume.js';
import { CODES } from '../io/dicom/coded-concepts.js';
import type { DeviceIdentity } from '../io/dicom/derived-modules.js';
import { lesionCodes, taskFinding } from '../io/dicom/lesion-codes.js';
import { sourceImagesBySlice } from '../io/dicom/source-matching.js';
import { randomUid, uidFromName } from '../io/dicom/uid.js';
import { writeMeasurementReport } from '../io/dicom/write-measurement-report.js';
import { writeSecondaryCapture } from '../io/dicom/write-secondary-capture.js';
import { writeSegmentation } from '../io/dicom/write-seg.js';
import type { TriageState } from '../pipeline/assessment/triage-state.js';
import { triageHeadline } from '../pipeline/finding-summary.js';
import { withBanner } from '../render/banner.js';
import { RADIOLOGICAL_NOTE } from '../render/radiological-view.js';
import { TASK_TRAITS } from '../pipeline/task-spec.js';
import { overlaySeries } from './overlay-series.js';
import { overviewMontage } from './overview.js';
import { resultWithReasons, resultWord } from './triage-result-text.js';
import { labelEntries as sortedLabels, segmentDefinitions } from './segment-definitions.js';

/** What the DICOM outputs read of the analysis report (`AnalyzeReport` has all of it). */
export interface DicomOutputReport {
  readonly task: 'ich' | 'infarct';
  /** One line, e.g. "Acute infarct, 12.4 mL in 3 lesions, right MCA territory"; optional. */
  readonly summary?: string;
  readonly model: { readonly name: string; readonly version: string; readonly sha256: string };
  readonly volumesMl: Readonly<Record<string, number>>;
  readonly totalLesionMl: number;
  readonly lesionCount: number;
  readonly triage: {
    readonly state: TriageState;
    readonly score: number;
    readonly positive: boolean;
  };
  /** Why the study (or, for a positive, the rest of it) could not be judged (issue 25). */
  readonly assessment: { readonly reasons: readonly { readonly message: string }[] };
  readonly notice: string;
}

export interface DicomOutputsOptions {
  /** NeuroTriage's version, for the device identity. */
  readonly softwareVersion: string;
  readonly report: DicomOutputReport;
  /** Source series; the first is the one `image` (and the labels' grid) came from. */
  readonly sources: readonly DicomSourceReference[];
  /** The first input image, on the native grid. */
  readonly image: Volume;
  /** Labels on `image.geometry`. */
  readonly labels: Uint8Array;
  /** Label value → name (the model card's labels). */
  readonly labelNames: Readonly<Record<number, string>>;
  readonly now?: Date;
  /** Overlay series: only slices with findings (default: every slice). */
  readonly overlayFindingsOnly?: boolean;
}

export const DICOM_SERIES_NUMBERS = {
  seg: 9001,
  sr: 9002,
  keyImages: 9003,
  overlay: 9005,
} as const;

/** report.json `files` key → file name. */
export const DICOM_FILE_NAMES = {
  dicomSeg: 'segmentation.dcm',
  dicomSr: 'measurement-report.dcm',
  dicomKeyImages: 'key-images.dcm',
  dicomOverlay: 'overlay-series.dcm',
} as const;

export type DicomOutputs = Record<keyof typeof DICOM_FILE_NAMES, Uint8Array>;

/** Lesions (26-connected components) of one label value. */
function lesionCountOf(labels: Uint8Array, value: number, image: Volume): number {
  const mask = new Uint8Array(labels.length);
  for (let v = 0; v < labels.length; v++) if (labels[v] === value) mask[v] = 1;
  return connectedComponents(mask, image.geometry.shape, { connectivity: 26 }).count;
}

/**
 * The key images' first banner line: "<finding> POSITIVE (score s): v mL in n lesion(s)", or for
 * a study that could not be judged "<finding> NOT ASSESSABLE: <first reason>" (never NEGATIVE).
 */
export function keyImageHeadline(report: DicomOutputReport): string {
  const task = TASK_TRAITS[report.task].findingWord;
  const { state } = report.triage;
  if (state === 'not assessable')
    return `${task} NOT ASSESSABLE: ${report.assessment.reasons[0]?.message ?? 'see report'}`;
  const regions = state === 'positive' ? 'lesion(s)' : 'candidate region(s)';
  return `${task} ${resultWord(state)} (score ${report.triage.score.toFixed(3)}): ${report.totalLesionMl.toFixed(1)} mL in ${report.lesionCount} ${regions}`;
}

/** The three objects' bytes, by report.json `files` key (file names: DICOM_FILE_NAMES). */
export function dicomOutputs(options: DicomOutputsOptions): DicomOutputs {
  const { report, image, labels, sources } = options;
  const source = sources[0];
  if (!source) throw new Error('writeDicomOutputs: no DICOM source');
  const now = options.now ?? new Date();
  const task = TASK_TRAITS[report.task].findingWord;
  const device: DeviceIdentity = {
    manufacturer: 'NeuroTriage',
    modelName: report.model.name,
    serialNumber: report.model.sha256.slice(0, 16),
    softwareVersions: [options.softwareVersion, report.model.version],
  };
  const notice = `${report.notice} Not for diagnosis.`;
  const { state } = report.triage;
  const reasons = report.assessment.reasons.map((r) => r.message);
  // Every object names the result; a not-assessable study says so with its reasons.
  const resultNote = `Result: ${task} ${resultWithReasons(state, report.assessment.reasons)}.`;
  const labelEntries = sortedLabels(options.labelNames);
  const segments = segmentDefinitions(report.task, options.labelNames);

  const seg = {
    sopInstanceUid: randomUid(),
    seriesInstanceUid: randomUid(),
  };
  const written = writeSegmentation({
    labels,
    geometry: image.geometry,
    segments,
    sources,
    algorithm: { name: report.model.name, version: report.model.version },
    device,
    instance: {
      ...seg,
      seriesNumber: DICOM_SERIES_NUMBERS.seg,
      seriesDescription: `NeuroTriage ${task} SEG - research use only`,
      createdAt: now,
    },
    dimensionOrganizationUid: randomUid(),
    fallbackFrameOfReferenceUid: randomUid(),
    contentLabel: task.toUpperCase(),
    contentDescription:
      state === 'not assessable'
        ? `NeuroTriage ${task} - NOT ASSESSABLE - research use only`
        : `NeuroTriage ${task} - research use only, not a medical device`,
    imageComments: `${resultNote} ${notice}`,
  });
  const dicomSr = writeMeasurementReport({
    sources,
    segmentation: seg,
    segments: labelEntries.map((l, n) => {
      const codes = lesionCodes(report.task, l.name);
      return {
        segmentNumber: n + 1,
        trackingId: l.name,
        trackingUid: randomUid(),
        finding: codes.type,
        ...(codes.anatomicRegion && { findingSite: codes.anatomicRegion }),
        volumeMl: report.volumesMl[l.name] ?? 0,
        lesionCount: lesionCountOf(labels, l.value, image),
      };
    }),
    study: {
      trackingUid: randomUid(),
      finding: taskFinding(report.task),
      totalVolumeMl: report.totalLesionMl,
      lesionCount: report.lesionCount,
      triageState: state,
      triageScore: report.triage.score,
      ...(reasons.length > 0 && { reasons }),
      ...(report.summary && { summary: report.summary }),
    },
    model: report.model,
    device,
    deviceObserverUid: uidFromName(`model:${report.model.sha256}`),
    procedure: source.modality === 'MR' ? CODES.mrProcedure : CODES.ctProcedure,
    notice,
    instance: {
      sopInstanceUid: randomUid(),
      seriesInstanceUid: randomUid(),
      seriesNumber: DICOM_SERIES_NUMBERS.sr,
      seriesDescription: `NeuroTriage ${task} report - research use only`,
      createdAt: now,
    },
  });

  const montage = overviewMontage({
    image,
    labels,
    labelNames: options.labelNames,
    title: `${task}: ${triageHeadline({
      state,
      totalLesionMl: report.totalLesionMl,
      ...(reasons[0] !== undefined && { reason: reasons[0] }),
    })}`,
  });
  const picture = withBanner(montage.image, [
    { text: keyImageHeadline(report) },
    ...(report.summary ? [{ text: report.summary }] : []),
    {
      text: `model ${report.model.name} ${report.model.version} (sha256 ${report.model.sha256.slice(0, 12)})`,
    },
    { text: RADIOLOGICAL_NOTE },
    { text: 'RESEARCH USE ONLY - NOT A MEDICAL DEVICE', colour: [255, 210, 40] as const },
  ]);
  const bySlice = sourceImagesBySlice(image.geometry, sources);
  const dicomKeyImages = writeSecondaryCapture({
    image: picture,
    source,
    shownImages: montage.slices.flatMap((k) => bySlice[k] ?? []),
    device,
    instance: {
      sopInstanceUid: randomUid(),
      seriesInstanceUid: randomUid(),
      seriesNumber: DICOM_SERIES_NUMBERS.keyImages,
      seriesDescription: `NeuroTriage ${task} key images - research use only`,
      createdAt: now,
    },
    comments: `${resultNote} ${notice} Lesion overlay rendered from the ${task} segmentation.`,
    derivationDescription: `NeuroTriage ${report.model.name} ${report.model.version}: lesion overlay montage`,
  });
  const overlay = overlaySeries({
    image,
    labels,
    labelNames: options.labelNames,
    sources,
    device,
    seriesNumber: DICOM_SERIES_NUMBERS.overlay,
    ...(options.overlayFindingsOnly && { findingsOnly: true }),
    comments: `${resultNote} ${notice}`,
    now,
  });
  return { dicomSeg: written.bytes, dicomSr, dicomKeyImages, dicomOverlay: overlay.bytes };
}
