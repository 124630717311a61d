/**
 * An RGB picture (a key-image montage with burned-in overlay and text) as a DICOM Secondary
 * Capture Image (SC Image Storage, RGB 8-bit, workstation conversion), in the source's study.
 * It carries no geometry: its pixels are a rendering, not a slice. Source Image Sequence names
 * the source images shown, when known.
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
  sopReference,
} from './derived-modules.js';
import { type DicomElementSpec, sequence, writeDicom } from './write-dicom.js';

export const SECONDARY_CAPTURE_UID = '1.2.840.10008.5.1.4.1.1.7';

export interface RgbPicture {
  readonly width: number;
  readonly height: number;
  /** RGB, 8 bits per sample, rows top to bottom. */
  readonly pixels: Uint8Array;
}

export interface WriteSecondaryCaptureOptions {
  readonly image: RgbPicture;
  readonly source: DicomSourceReference;
  /** Source images shown in the picture (referenced in Source Image Sequence). */
  readonly shownImages?: readonly DicomSourceImage[];
  readonly device: DeviceIdentity;
  readonly instance: Omit<DerivedInstance, 'sopClassUid' | 'modality'>;
  /** Image Comments, e.g. the research-use notice. */
  readonly comments: string;
  readonly derivationDescription?: string;
}

export function writeSecondaryCapture(options: WriteSecondaryCaptureOptions): Uint8Array {
  const { image, device } = options;
  if (image.pixels.length !== image.width * image.height * 3)
    throw new Error('write-secondary-capture: pixels are not width × height × 3 bytes');
  const elements: DicomElementSpec[] = [
    ...patientStudyElements(options.source),
    ...instanceElements({
      ...options.instance,
      sopClassUid: SECONDARY_CAPTURE_UID,
      modality: 'OT',
    }),
    ...equipmentElements(device),
    { tag: [0x0008, 0x0008], vr: 'CS', value: 'DERIVED\\SECONDARY' },
    { tag: [0x0008, 0x0064], vr: 'CS', value: 'WSD' },
    { tag: [0x0018, 0x1016], vr: 'LO', value: loText(device.manufacturer) },
    { tag: [0x0018, 0x1018], vr: 'LO', value: loText(device.modelName) },
    { tag: [0x0018, 0x1019], vr: 'LO', value: device.softwareVersions.map(loText).join('\\') },
    { tag: [0x0020, 0x0020], vr: 'CS', value: '' },
    // The head is not a paired body part: no Laterality.
    { tag: [0x0018, 0x0015], vr: 'CS', value: 'HEAD' },
    { tag: [0x0020, 0x4000], vr: 'LT', value: asciiText(options.comments) },
    { tag: [0x0028, 0x0002], vr: 'US', value: 3 },
    { tag: [0x0028, 0x0004], vr: 'CS', value: 'RGB' },
    { tag: [0x0028, 0x0006], vr: 'US', value: 0 },
    { tag: [0x0028, 0x0010], vr: 'US', value: image.height },
    { tag: [0x0028, 0x0011], vr: 'US', value: image.width },
    { tag: [0x0028, 0x0100], vr: 'US', value: 8 },
    { tag: [0x0028, 0x0101], vr: 'US', value: 8 },
    { tag: [0x0028, 0x0102], vr: 'US', value: 7 },
    { tag: [0x0028, 0x0103], vr: 'US', value: 0 },
    { tag: [0x0028, 0x0301], vr: 'CS', value: 'YES' },
    { tag: [0x0028, 0x2110], vr: 'CS', value: '00' },
    { tag: [0x7fe0, 0x0010], vr: 'OB', value: image.pixels },
  ];
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
