/**
 * A stack of same-size RGB pictures (e.g. one overlay rendering per source slice) as one
 * Multi-frame True Color Secondary Capture instance, in the source's study: 8-bit RGB frames,
 * burned-in annotation, a Slice Location Vector (one value per frame, mm) as the frame
 * increment when there are several frames, Source Image Sequence naming the source image of each frame (in frame order) and
 * the Common Instance Reference module naming the source series. No plane geometry: the IOD
 * has none (the frames are renderings).
 */
import type { DicomSourceImage, DicomSourceReference } from '../../core/dicom-source.js';
import {
  type DerivedInstance,
  type DeviceIdentity,
  asciiText,
  equipmentElements,
  instanceElements,
  loText,
  patientStudyElements,
  referencedSeriesElement,
  sopReference,
} from './derived-modules.js';
import type { RgbPicture } from './write-secondary-capture.js';
import { type DicomElementSpec, sequence, writeDicom } from './write-dicom.js';

export const MULTIFRAME_TRUE_COLOR_SC_UID = '1.2.840.10008.5.1.4.1.1.7.4';

export interface WriteTrueColorMultiframeOptions {
  /** The frames, all of one size. */
  readonly frames: readonly RgbPicture[];
  /** Slice location of each frame, mm (Slice Location Vector). */
  readonly sliceLocationsMm: readonly number[];
  readonly source: DicomSourceReference;
  /** Series listed in the Common Instance Reference module (default: `source`). */
  readonly referencedSeries?: readonly DicomSourceReference[];
  /**
   * Source images shown, in frame order (Source Image Sequence); must not be empty when
   * `referencedSeries` is (dciodvfy: a referenced series needs referenced instances).
   */
  readonly shownImages?: readonly DicomSourceImage[];
  readonly device: DeviceIdentity;
  readonly instance: Omit<DerivedInstance, 'sopClassUid' | 'modality'>;
  /** Image Comments, e.g. the research-use notice. */
  readonly comments: string;
  readonly derivationDescription?: string;
}

/** A DS value: at most 16 characters. */
function ds(x: number): string {
  return String(Math.round(x * 1000) / 1000).slice(0, 16);
}

function pixelData(frames: readonly RgbPicture[]): Uint8Array {
  const first = frames[0];
  if (!first) throw new Error('write-true-color-multiframe: no frames');
  const size = first.width * first.height * 3;
  const out = new Uint8Array(size * frames.length);
  frames.forEach((f, n) => {
    if (f.width !== first.width || f.height !== first.height || f.pixels.length !== size)
      throw new Error('write-true-color-multiframe: frames differ in size');
    out.set(f.pixels, n * size);
  });
  return out;
}

export function writeTrueColorMultiframe(options: WriteTrueColorMultiframeOptions): Uint8Array {
  const { frames, device } = options;
  const pixels = pixelData(frames);
  const first = frames[0]!;
  if (options.sliceLocationsMm.length !== frames.length)
    throw new Error('write-true-color-multiframe: one slice location per frame');
  const elements: DicomElementSpec[] = [
    ...patientStudyElements(options.source),
    ...instanceElements({
      ...options.instance,
      sopClassUid: MULTIFRAME_TRUE_COLOR_SC_UID,
      modality: 'OT',
    }),
    ...equipmentElements(device),
    { tag: [0x0008, 0x0008], vr: 'CS', value: 'DERIVED\\SECONDARY' },
    { tag: [0x0008, 0x0064], vr: 'CS', value: 'WSD' },
    { tag: [0x0018, 0x1016], vr: 'LO', value: loText(device.manufacturer) },
    { tag: [0x0018, 0x1018], vr: 'LO', value: loText(device.modelName) },
    { tag: [0x0018, 0x1019], vr: 'LO', value: device.softwareVersions.map(loText).join('\\') },
    { tag: [0x0020, 0x0020], vr: 'CS', value: '' },
    { tag: [0x0018, 0x0015], vr: 'CS', value: 'HEAD' },
    { tag: [0x0020, 0x4000], vr: 'LT', value: asciiText(options.comments) },
    { tag: [0x0028, 0x0002], vr: 'US', value: 3 },
    { tag: [0x0028, 0x0004], vr: 'CS', value: 'RGB' },
    { tag: [0x0028, 0x0006], vr: 'US', value: 0 },
    { tag: [0x0028, 0x0008], vr: 'IS', value: String(frames.length) },
    { tag: [0x0028, 0x0010], vr: 'US', value: first.height },
    { tag: [0x0028, 0x0011], vr: 'US', value: first.width },
    { tag: [0x0028, 0x0100], vr: 'US', value: 8 },
    { tag: [0x0028, 0x0101], vr: 'US', value: 8 },
    { tag: [0x0028, 0x0102], vr: 'US', value: 7 },
    { tag: [0x0028, 0x0103], vr: 'US', value: 0 },
    { tag: [0x0028, 0x0301], vr: 'CS', value: 'YES' },
    { tag: [0x0028, 0x2110], vr: 'CS', value: '00' },
    referencedSeriesElement(options.referencedSeries ?? [options.source]),
    { tag: [0x7fe0, 0x0010], vr: 'OB', value: pixels },
  ];
  // Frame Increment Pointer is Type 1C: only with more than one frame.
  if (frames.length > 1)
    elements.push(
      { tag: [0x0018, 0x2005], vr: 'DS', value: options.sliceLocationsMm.map(ds).join('\\') },
      { tag: [0x0028, 0x0009], vr: 'AT', value: [0x0018, 0x2005] },
    );
  if (options.derivationDescription)
    elements.push({
      tag: [0x0008, 0x2111],
      vr: 'ST',
      value: asciiText(options.derivationDescription),
    });
  const shown = options.shownImages ?? [];
  if (shown.length > 0)
    elements.push(
      sequence(
        [0x0008, 0x2112],
        shown.map((im) => [
          ...sopReference(im),
          ...(im.frameNumber !== undefined
            ? [{ tag: [0x0008, 0x1160], vr: 'IS', value: String(im.frameNumber) } as const]
            : []),
        ]),
      ),
    );
  return writeDicom({ elements });
}
