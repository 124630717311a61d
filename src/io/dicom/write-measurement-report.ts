/**
 * The analysis as a DICOM SR measurement report: TID 1500 "Imaging Measurement Report" in a
 * Comprehensive 3D SR, in the source's study. Its tree:
 *
 *   CONTAINER (126000, DCM, "Imaging Measurement Report")            TID 1500
 *    ├ HAS CONCEPT MOD   Language = English, United States           TID 1204
 *    ├ HAS OBS CONTEXT   Observer Type = Device; Device Observer UID,
 *    │                   Name, Manufacturer ("NeuroTriage"), Model Name  TID 1002/1004
 *    ├ HAS CONCEPT MOD   Procedure reported (CT / MRI, CID 100)
 *    ├ CONTAINS CONTAINER Imaging Measurements
 *    │   ├ Measurement Group per SEG segment                          TID 1411
 *    │   │   Tracking Identifier + UID, Finding (the segment's type), Finding Site,
 *    │   │   Referenced Segment (the SEG, segment n), Source series for segmentation,
 *    │   │   Volume (ml) and Number of lesions, each with Algorithm Name/Version (TID 4019)
 *    │   └ Measurement Group for the whole study                       TID 1501
 *    │       Finding (haemorrhage / infarct), total Volume, Number of lesions, Triage score,
 *    │       Triage result (Positive / Negative / Not assessable), each reason a study
 *    │       was not assessable (TEXT), the one-line summary (TEXT Finding)
 *    └ CONTAINS CONTAINER Qualitative Evaluations
 *        Model file SHA-256, Comment (the research-use notice)
 *
 * Triage score/result, "Not assessable" with its reasons and the model hash have no standard concept: they use the local coding
 * scheme 99NTRG, declared in the Coding Scheme Identification Sequence.
 */
import type { DicomSourceReference } from '../../core/dicom-source.js';
import { CODES, type CodedConcept, LOCAL_SCHEME } from './coded-concepts.js';
import {
  type DerivedInstance,
  type DeviceIdentity,
  asciiText,
  equipmentElements,
  instanceElements,
  patientStudyElements,
  referencedInstances,
  sopReference,
} from './derived-modules.js';
import { type ContentItem, encodeContentTree, item } from './sr-content.js';
import { type DicomElementSpec, sequence, writeDicom } from './write-dicom.js';
import { SEGMENTATION_STORAGE_UID } from './write-seg.js';

export const COMPREHENSIVE_3D_SR_UID = '1.2.840.10008.5.1.4.1.1.88.34';

/** One segment's measurements (TID 1411). */
export interface SegmentFinding {
  readonly segmentNumber: number;
  /** Tracking Identifier, e.g. 'subarachnoid'. */
  readonly trackingId: string;
  readonly trackingUid: string;
  readonly finding: CodedConcept;
  readonly findingSite?: CodedConcept;
  readonly volumeMl: number;
  readonly lesionCount: number;
}

/** The whole study's result (TID 1501). */
export interface StudyFinding {
  readonly trackingUid: string;
  readonly finding: CodedConcept;
  readonly totalVolumeMl: number;
  readonly lesionCount: number;
  /** A not-assessable study (issue 25) is coded as such, never Negative. */
  readonly triageState: 'positive' | 'negative' | 'not assessable';
  readonly triageScore: number;
  /** Why the study was not assessable (or, for a positive, why the rest of it is not). */
  readonly reasons?: readonly string[];
  /** One line, e.g. "Acute infarct, 12.4 mL in 3 lesions, right MCA territory". */
  readonly summary?: string;
}

export interface WriteMeasurementReportOptions {
  readonly sources: readonly DicomSourceReference[];
  /** The SEG the segment findings refer to. */
  readonly segmentation: { readonly sopInstanceUid: string; readonly seriesInstanceUid: string };
  readonly segments: readonly SegmentFinding[];
  readonly study: StudyFinding;
  readonly model: { readonly name: string; readonly version: string; readonly sha256: string };
  readonly device: DeviceIdentity;
  readonly deviceObserverUid: string;
  readonly procedure: CodedConcept;
  /** The research-use notice, written as a Comment. */
  readonly notice: string;
  readonly instance: Omit<DerivedInstance, 'sopClassUid' | 'modality'>;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function algorithm(options: WriteMeasurementReportOptions): ContentItem[] {
  return [
    item.text('HAS CONCEPT MOD', CODES.algorithmName, asciiText(options.model.name)),
    item.text('HAS CONCEPT MOD', CODES.algorithmVersion, asciiText(options.model.version)),
  ];
}

function segmentGroup(f: SegmentFinding, options: WriteMeasurementReportOptions): ContentItem {
  const alg = algorithm(options);
  const children: ContentItem[] = [
    item.text('HAS OBS CONTEXT', CODES.trackingIdentifier, asciiText(f.trackingId)),
    item.uidref('HAS OBS CONTEXT', CODES.trackingUid, f.trackingUid),
    item.code('CONTAINS', CODES.finding, f.finding),
    {
      type: 'IMAGE',
      relationship: 'CONTAINS',
      concept: CODES.referencedSegment,
      sopClassUid: SEGMENTATION_STORAGE_UID,
      sopInstanceUid: options.segmentation.sopInstanceUid,
      segmentNumber: f.segmentNumber,
    },
    item.uidref(
      'CONTAINS',
      CODES.sourceSeriesForSegmentation,
      options.sources[0]!.seriesInstanceUid,
    ),
  ];
  if (f.findingSite) children.push(item.code('HAS CONCEPT MOD', CODES.findingSite, f.findingSite));
  children.push(
    item.num(CODES.volume, round3(f.volumeMl), CODES.millilitre, alg),
    item.num(CODES.numberOfLesions, f.lesionCount, CODES.noUnits, alg),
  );
  return item.container('CONTAINS', CODES.measurementGroup, children, '1411');
}

const TRIAGE_RESULT = {
  positive: CODES.positive,
  negative: CODES.negative,
  'not assessable': CODES.notAssessable,
} as const;

function studyGroup(options: WriteMeasurementReportOptions): ContentItem {
  const s = options.study;
  const alg = algorithm(options);
  const children: ContentItem[] = [
    item.text('HAS OBS CONTEXT', CODES.trackingIdentifier, 'Whole study'),
    item.uidref('HAS OBS CONTEXT', CODES.trackingUid, s.trackingUid),
    item.code('CONTAINS', CODES.finding, s.finding),
    item.num(CODES.volume, round3(s.totalVolumeMl), CODES.millilitre, alg),
    item.num(CODES.numberOfLesions, s.lesionCount, CODES.noUnits, alg),
    item.num(CODES.triageScore, s.triageScore, CODES.noUnits, alg),
    item.code('CONTAINS', CODES.triageResult, TRIAGE_RESULT[s.triageState]),
    ...(s.reasons ?? []).map((r) => item.text('CONTAINS', CODES.notAssessableReason, asciiText(r))),
  ];
  if (s.summary) children.push(item.text('CONTAINS', CODES.finding, asciiText(s.summary)));
  return item.container('CONTAINS', CODES.measurementGroup, children, '1501');
}

function contentTree(options: WriteMeasurementReportOptions): ContentItem {
  const { device, model } = options;
  const qualitative: ContentItem[] = [
    item.text('CONTAINS', CODES.modelSha256, model.sha256),
    item.text('CONTAINS', CODES.comment, asciiText(options.notice)),
  ];
  return item.container(
    'CONTAINS',
    CODES.imagingMeasurementReport,
    [
      item.code('HAS CONCEPT MOD', CODES.languageOfContent, CODES.englishUs),
      item.code('HAS OBS CONTEXT', CODES.observerType, CODES.device),
      item.uidref('HAS OBS CONTEXT', CODES.deviceObserverUid, options.deviceObserverUid),
      item.text(
        'HAS OBS CONTEXT',
        CODES.deviceObserverName,
        asciiText(`${device.manufacturer} ${model.name} ${model.version}`),
      ),
      item.text(
        'HAS OBS CONTEXT',
        CODES.deviceObserverManufacturer,
        asciiText(device.manufacturer),
      ),
      item.text('HAS OBS CONTEXT', CODES.deviceObserverModelName, asciiText(model.name)),
      item.code('HAS CONCEPT MOD', CODES.procedureReported, options.procedure),
      item.container('CONTAINS', CODES.imagingMeasurements, [
        ...options.segments.map((f) => segmentGroup(f, options)),
        studyGroup(options),
      ]),
      item.container('CONTAINS', CODES.qualitativeEvaluations, qualitative),
    ],
    '1500',
  );
}

/** Current Requested Procedure Evidence: the source images and the SEG, by series. */
function evidence(options: WriteMeasurementReportOptions): DicomElementSpec {
  const series = [
    ...options.sources.map((s) => ({
      uid: s.seriesInstanceUid,
      instances: referencedInstances(s),
    })),
    {
      uid: options.segmentation.seriesInstanceUid,
      instances: [
        {
          sopClassUid: SEGMENTATION_STORAGE_UID,
          sopInstanceUid: options.segmentation.sopInstanceUid,
        },
      ],
    },
  ];
  return sequence(
    [0x0040, 0xa375],
    [
      [
        { tag: [0x0020, 0x000d], vr: 'UI', value: options.sources[0]!.studyInstanceUid },
        sequence(
          [0x0008, 0x1115],
          series.map((s) => [
            { tag: [0x0020, 0x000e], vr: 'UI', value: s.uid },
            sequence([0x0008, 0x1199], s.instances.map(sopReference)),
          ]),
        ),
      ],
    ],
  );
}

export function writeMeasurementReport(options: WriteMeasurementReportOptions): Uint8Array {
  const source = options.sources[0];
  if (!source) throw new Error('write-measurement-report: no source series');
  const elements: DicomElementSpec[] = [
    ...patientStudyElements(source),
    ...instanceElements({
      ...options.instance,
      sopClassUid: COMPREHENSIVE_3D_SR_UID,
      modality: 'SR',
    }),
    ...equipmentElements(options.device),
    sequence(
      [0x0008, 0x0110],
      [
        [
          { tag: [0x0008, 0x0102], vr: 'SH', value: LOCAL_SCHEME.designator },
          { tag: [0x0008, 0x0115], vr: 'ST', value: LOCAL_SCHEME.name },
          { tag: [0x0008, 0x0116], vr: 'ST', value: LOCAL_SCHEME.organisation },
        ],
      ],
    ),
    sequence([0x0008, 0x1111], []),
    sequence([0x0040, 0xa372], []),
    evidence(options),
    { tag: [0x0040, 0xa491], vr: 'CS', value: 'COMPLETE' },
    { tag: [0x0040, 0xa493], vr: 'CS', value: 'UNVERIFIED' },
    ...encodeContentTree(contentTree(options)),
  ];
  return writeDicom({ elements });
}
