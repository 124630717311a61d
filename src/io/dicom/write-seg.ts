/**
 * A label map as a DICOM Segmentation (Segmentation Storage, BINARY): one segment per label of
 * the model, multi-frame with functional groups, in the source's study and frame of reference.
 *
 * Frames: for each segment (in order), one frame per slice k of the label map's grid that holds
 * the segment, each with its own Plane Position (the slice origin) and Segment Identification;
 * orientation and pixel measures are shared. A segment with no voxel gets one empty frame (on
 * the middle slice), so every segment is referenced by a frame and the object is never empty.
 * Bits are packed across frames without padding, first pixel in the lowest bit (PS3.5 8.1.1).
 *
 * Derivation: when every slice of the grid *is* a source image (an ordinary stack loaded as
 * is; see source-matching.ts) each frame names its source image(s) in a per-frame Derivation
 * Image Sequence. When the grid was resampled (gantry tilt, uneven spacing), slices are not
 * source images: frames then carry only their own plane positions, and one shared Derivation
 * Image Sequence says the segmentation as a whole derives from all the source images.
 */
import type { DicomSourceImage, DicomSourceReference } from '../../core/dicom-source.js';
import { type Geometry, indexToWorld } from '../../core/geometry.js';
import { decimalString as ds } from './write-volume-series.js';
import { rgbToDicomLab } from './cielab.js';
import { CODES, type CodedConcept, codeSequence } from './coded-concepts.js';
import {
  type DerivedInstance,
  type DeviceIdentity,
  asciiText,
  equipmentElements,
  loText,
  instanceElements,
  patientStudyElements,
  referencedInstances,
  referencedSeriesElement,
  sopReference,
} from './derived-modules.js';
import { sourceImagesBySlice } from './source-matching.js';
import { type DicomElementSpec, sequence, writeDicom } from './write-dicom.js';

export const SEGMENTATION_STORAGE_UID = '1.2.840.10008.5.1.4.1.1.66.4';

export interface SegmentDefinition {
  /** Value of the segment's voxels in the label map. */
  readonly labelValue: number;
  /** Segment Label, e.g. 'subarachnoid'. */
  readonly label: string;
  readonly description?: string;
  readonly category: CodedConcept;
  readonly type: CodedConcept;
  readonly anatomicRegion?: CodedConcept;
  /** Display colour, sRGB 0–255. */
  readonly colourRgb?: readonly [number, number, number];
}

export interface WriteSegmentationOptions {
  readonly labels: Uint8Array | Uint16Array;
  readonly geometry: Geometry;
  readonly segments: readonly SegmentDefinition[];
  /** Source series; the first gives patient, study and frame of reference. */
  readonly sources: readonly DicomSourceReference[];
  readonly algorithm: { readonly name: string; readonly version: string };
  /** Segment Algorithm Type: AUTOMATIC (default), or SEMIAUTOMATIC for a reviewer's edit. */
  readonly algorithmType?: 'AUTOMATIC' | 'SEMIAUTOMATIC';
  readonly device: DeviceIdentity;
  readonly instance: Omit<DerivedInstance, 'sopClassUid' | 'modality'>;
  readonly dimensionOrganizationUid: string;
  /** Used when the source has no Frame of Reference UID. */
  readonly fallbackFrameOfReferenceUid: string;
  readonly contentLabel?: string;
  readonly contentDescription?: string;
  readonly imageComments?: string;
}

export interface SegmentationFrame {
  readonly segmentNumber: number;
  readonly slice: number;
}

export interface WrittenSegmentation {
  readonly bytes: Uint8Array;
  readonly frames: readonly SegmentationFrame[];
  /** True when frames carry their own source image references (see the file comment). */
  readonly perFrameDerivation: boolean;
}

function frameList(options: WriteSegmentationOptions): SegmentationFrame[] {
  const [nx, ny, nz] = options.geometry.shape;
  const plane = nx * ny;
  const frames: SegmentationFrame[] = [];
  options.segments.forEach((segment, s) => {
    const before = frames.length;
    for (let k = 0; k < nz; k++) {
      const slice = options.labels.subarray(k * plane, (k + 1) * plane);
      if (slice.includes(segment.labelValue)) frames.push({ segmentNumber: s + 1, slice: k });
    }
    if (frames.length === before) frames.push({ segmentNumber: s + 1, slice: Math.floor(nz / 2) });
  });
  return frames;
}

function packFrames(options: WriteSegmentationOptions, frames: readonly SegmentationFrame[]) {
  const [nx, ny] = options.geometry.shape;
  const plane = nx * ny;
  const bytes = new Uint8Array(Math.ceil((frames.length * plane) / 8));
  frames.forEach((f, n) => {
    const value = options.segments[f.segmentNumber - 1]!.labelValue;
    const base = f.slice * plane;
    for (let p = 0; p < plane; p++) {
      if (options.labels[base + p] !== value) continue;
      const bit = n * plane + p;
      bytes[bit >> 3]! |= 1 << (bit & 7);
    }
  });
  return bytes;
}

function segmentItem(
  segment: SegmentDefinition,
  number: number,
  options: WriteSegmentationOptions,
) {
  const item: DicomElementSpec[] = [
    { tag: [0x0062, 0x0004], vr: 'US', value: number },
    { tag: [0x0062, 0x0005], vr: 'LO', value: loText(segment.label) },
    { tag: [0x0062, 0x0008], vr: 'CS', value: options.algorithmType ?? 'AUTOMATIC' },
    { tag: [0x0062, 0x0009], vr: 'LO', value: loText(options.algorithm.name) },
    codeSequence([0x0062, 0x0003], segment.category),
    codeSequence([0x0062, 0x000f], segment.type),
    sequence(
      [0x0062, 0x0007],
      [
        [
          codeSequence([0x0066, 0x002f], CODES.artificialIntelligence),
          { tag: [0x0066, 0x0036], vr: 'LO', value: loText(options.algorithm.name) },
          { tag: [0x0066, 0x0031], vr: 'LO', value: loText(options.algorithm.version) },
        ],
      ],
    ),
  ];
  if (segment.description)
    item.push({ tag: [0x0062, 0x0006], vr: 'ST', value: asciiText(segment.description) });
  if (segment.anatomicRegion) item.push(codeSequence([0x0008, 0x2218], segment.anatomicRegion));
  if (segment.colourRgb)
    item.push({ tag: [0x0062, 0x000d], vr: 'US', value: rgbToDicomLab(segment.colourRgb) });
  return item;
}

function derivationItem(images: readonly DicomSourceImage[]): DicomElementSpec[] {
  return [
    codeSequence([0x0008, 0x9215], CODES.segmentation),
    sequence(
      [0x0008, 0x2112],
      images.map((im) => [
        ...sopReference(im),
        ...(im.frameNumber !== undefined
          ? [{ tag: [0x0008, 0x1160], vr: 'IS', value: String(im.frameNumber) } as const]
          : []),
        codeSequence([0x0040, 0xa170], CODES.sourceForProcessing),
        { tag: [0x0028, 0x135a], vr: 'CS', value: 'YES' },
      ]),
    ),
  ];
}

export function writeSegmentation(options: WriteSegmentationOptions): WrittenSegmentation {
  const { geometry: g, sources } = options;
  const source = sources[0];
  if (!source) throw new Error('write-seg: no source series');
  if (options.segments.length === 0) throw new Error('write-seg: no segments');
  const [nx, ny, nz] = g.shape;
  if (options.labels.length !== nx * ny * nz)
    throw new Error(`write-seg: ${options.labels.length} labels for a ${g.shape.join('×')} grid`);
  const frames = frameList(options);
  const bySlice = sourceImagesBySlice(g, sources);
  const perFrameDerivation = bySlice.every((images) => images.length > 0);
  const d = g.direction;
  const iop = [d[0], d[3], d[6], d[1], d[4], d[7]].map(ds).join('\\');
  const allImages = sources.flatMap((s) => referencedInstances(s));

  const shared: DicomElementSpec[] = [
    sequence([0x0020, 0x9116], [[{ tag: [0x0020, 0x0037], vr: 'DS', value: iop }]]),
    sequence(
      [0x0028, 0x9110],
      [
        [
          {
            tag: [0x0028, 0x0030],
            vr: 'DS',
            value: `${ds(g.spacingMm[1])}\\${ds(g.spacingMm[0])}`,
          },
          { tag: [0x0018, 0x0050], vr: 'DS', value: ds(g.spacingMm[2]) },
          { tag: [0x0018, 0x0088], vr: 'DS', value: ds(g.spacingMm[2]) },
        ],
      ],
    ),
  ];
  // Resampled grid: no frame is a source image, the whole derives from all of them.
  if (!perFrameDerivation) shared.push(sequence([0x0008, 0x9124], [derivationItem(allImages)]));
  const perFrame = frames.map((f) => {
    const ipp = indexToWorld(g, [0, 0, f.slice]).map(ds).join('\\');
    const item: DicomElementSpec[] = [
      sequence(
        [0x0020, 0x9111],
        [[{ tag: [0x0020, 0x9157], vr: 'UL', value: [f.segmentNumber, f.slice + 1] }]],
      ),
      sequence([0x0020, 0x9113], [[{ tag: [0x0020, 0x0032], vr: 'DS', value: ipp }]]),
      sequence([0x0062, 0x000a], [[{ tag: [0x0062, 0x000b], vr: 'US', value: f.segmentNumber }]]),
    ];
    if (perFrameDerivation)
      item.push(sequence([0x0008, 0x9124], [derivationItem(bySlice[f.slice]!)]));
    return item;
  });
  const dimensionUid = options.dimensionOrganizationUid;
  const dimension = (
    pointer: [number, number],
    group: [number, number],
    label: string,
  ): DicomElementSpec[] => [
    { tag: [0x0020, 0x9164], vr: 'UI', value: dimensionUid },
    { tag: [0x0020, 0x9165], vr: 'AT', value: pointer },
    { tag: [0x0020, 0x9167], vr: 'AT', value: group },
    { tag: [0x0020, 0x9421], vr: 'LO', value: label },
  ];

  const elements: DicomElementSpec[] = [
    ...patientStudyElements(source),
    ...instanceElements({
      ...options.instance,
      sopClassUid: SEGMENTATION_STORAGE_UID,
      modality: 'SEG',
    }),
    ...equipmentElements(options.device),
    { tag: [0x0008, 0x0008], vr: 'CS', value: 'DERIVED\\PRIMARY' },
    referencedSeriesElement(sources),
    {
      tag: [0x0020, 0x0052],
      vr: 'UI',
      value: source.frameOfReferenceUid ?? options.fallbackFrameOfReferenceUid,
    },
    { tag: [0x0020, 0x1040], vr: 'LO', value: '' },
    { tag: [0x0020, 0x4000], vr: 'LT', value: asciiText(options.imageComments ?? '') },
    sequence([0x0020, 0x9221], [[{ tag: [0x0020, 0x9164], vr: 'UI', value: dimensionUid }]]),
    sequence(
      [0x0020, 0x9222],
      [
        dimension([0x0062, 0x000b], [0x0062, 0x000a], 'ReferencedSegmentNumber'),
        dimension([0x0020, 0x0032], [0x0020, 0x9113], 'ImagePositionPatient'),
      ],
    ),
    { tag: [0x0020, 0x9311], vr: 'CS', value: '3D' },
    { tag: [0x0028, 0x0002], vr: 'US', value: 1 },
    { tag: [0x0028, 0x0004], vr: 'CS', value: 'MONOCHROME2' },
    { tag: [0x0028, 0x0008], vr: 'IS', value: String(frames.length) },
    { tag: [0x0028, 0x0010], vr: 'US', value: ny },
    { tag: [0x0028, 0x0011], vr: 'US', value: nx },
    { tag: [0x0028, 0x0100], vr: 'US', value: 1 },
    { tag: [0x0028, 0x0101], vr: 'US', value: 1 },
    { tag: [0x0028, 0x0102], vr: 'US', value: 0 },
    { tag: [0x0028, 0x0103], vr: 'US', value: 0 },
    { tag: [0x0028, 0x2110], vr: 'CS', value: '00' },
    { tag: [0x0062, 0x0001], vr: 'CS', value: 'BINARY' },
    sequence(
      [0x0062, 0x0002],
      options.segments.map((s, n) => segmentItem(s, n + 1, options)),
    ),
    { tag: [0x0062, 0x0013], vr: 'CS', value: 'NO' },
    { tag: [0x0070, 0x0080], vr: 'CS', value: options.contentLabel ?? 'SEGMENTATION' },
    {
      tag: [0x0070, 0x0081],
      vr: 'LO',
      value: loText(options.contentDescription ?? ''),
    },
    { tag: [0x0070, 0x0084], vr: 'PN', value: '' },
    sequence([0x5200, 0x9229], [shared]),
    sequence([0x5200, 0x9230], perFrame),
    { tag: [0x7fe0, 0x0010], vr: 'OB', value: packFrames(options, frames) },
  ];
  return { bytes: writeDicom({ elements }), frames, perFrameDerivation };
}
