/**
 * The DICOM JSON model (PS3.18 Annex F): attributes keyed by 8-digit upper-case tag, each
 * `{ vr, Value? | InlineBinary? | BulkDataURI? }`. `attribute()` builds one for QIDO and STOW
 * responses; `dataSetToJson()` turns a parsed data set (dicom-parser) into the WADO-RS metadata
 * of an instance, the pixel data by reference (`BulkDataURI`) instead of inline.
 */
import type { DataSet, Element } from '../../io/dicom/parse-dicom.js';

export interface PersonName {
  readonly Alphabetic?: string;
  readonly Ideographic?: string;
  readonly Phonetic?: string;
}

export type DicomJsonValue = string | number | PersonName | DicomJson;

export interface DicomJsonAttribute {
  readonly vr: string;
  readonly Value?: readonly DicomJsonValue[];
  readonly InlineBinary?: string;
  readonly BulkDataURI?: string;
}

export type DicomJson = Record<string, DicomJsonAttribute>;

/** Tags used in the service's responses (PS3.6), 8 hex digits as in DICOM JSON. */
export const TAGS = {
  SpecificCharacterSet: '00080005',
  SOPClassUID: '00080016',
  SOPInstanceUID: '00080018',
  StudyDate: '00080020',
  StudyTime: '00080030',
  AccessionNumber: '00080050',
  Modality: '00080060',
  ModalitiesInStudy: '00080061',
  RetrieveURL: '00081190',
  FailedSOPSequence: '00081198',
  ReferencedSOPSequence: '00081199',
  ReferencedSOPClassUID: '00081150',
  ReferencedSOPInstanceUID: '00081155',
  FailureReason: '00081197',
  AvailableTransferSyntaxUID: '00083002',
  StudyDescription: '00081030',
  SeriesDescription: '0008103E',
  PatientName: '00100010',
  PatientID: '00100020',
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  StudyID: '00200010',
  SeriesNumber: '00200011',
  InstanceNumber: '00200013',
  NumberOfStudyRelatedSeries: '00201206',
  NumberOfStudyRelatedInstances: '00201208',
  NumberOfSeriesRelatedInstances: '00201209',
  PixelData: '7FE00010',
} as const;

/** One attribute; absent or empty values give an attribute without `Value` (zero length). */
export function attribute(
  vr: string,
  ...values: readonly (string | number | null | undefined)[]
): DicomJsonAttribute {
  const present = values.filter((v): v is string | number => v !== null && v !== undefined);
  if (present.length === 0) return { vr };
  if (vr === 'PN') return { vr, Value: present.map((v) => personName(String(v))) };
  return { vr, Value: present };
}

/** A PN value's component groups (`alphabetic=ideographic=phonetic`), empty ones left out. */
function personName(value: string): PersonName {
  const [alphabetic, ideographic, phonetic] = value.split('=');
  return {
    ...(alphabetic && { Alphabetic: alphabetic }),
    ...(ideographic && { Ideographic: ideographic }),
    ...(phonetic && { Phonetic: phonetic }),
  };
}

export function sequence(items: readonly DicomJson[]): DicomJsonAttribute {
  return items.length ? { vr: 'SQ', Value: items } : { vr: 'SQ' };
}

const TEXT_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DT', 'LO', 'SH', 'TM', 'UC', 'UI']);
const SINGLE_TEXT_VRS = new Set(['LT', 'ST', 'UT', 'UR']);
/** Binary values up to this size are sent inline (base64); larger ones are left out. */
const INLINE_BINARY_MAX = 1024;

const NUMBER_READERS: Record<
  string,
  [size: number, read: (ds: DataSet, t: string, i: number) => number]
> = {
  US: [2, (ds, t, i) => ds.uint16(t, i) ?? 0],
  SS: [2, (ds, t, i) => ds.int16(t, i) ?? 0],
  UL: [4, (ds, t, i) => ds.uint32(t, i) ?? 0],
  SL: [4, (ds, t, i) => ds.int32(t, i) ?? 0],
  FL: [4, (ds, t, i) => ds.float(t, i) ?? 0],
  FD: [8, (ds, t, i) => ds.double(t, i) ?? 0],
};

export interface ToJsonOptions {
  /** The BulkDataURI of the pixel data; without it the pixel data is left out. */
  readonly pixelDataUri?: string;
}

/**
 * A data set as DICOM JSON. The file meta group (0002) is left out. Elements without a VR
 * (implicit VR files) are sent as `UN` (inline when small): the parser carries no dictionary.
 */
export function dataSetToJson(ds: DataSet, options: ToJsonOptions = {}): DicomJson {
  const out: DicomJson = {};
  for (const key of Object.keys(ds.elements).sort()) {
    const el = ds.elements[key]!;
    const t = key.slice(1).toUpperCase();
    if (t.startsWith('0002')) continue;
    if (t === TAGS.PixelData) {
      out[t] = options.pixelDataUri
        ? { vr: el.vr ?? 'OW', BulkDataURI: options.pixelDataUri }
        : { vr: el.vr ?? 'OW' };
      continue;
    }
    const converted = elementToJson(ds, key, el, options);
    if (converted) out[t] = converted;
  }
  return out;
}

function elementToJson(
  ds: DataSet,
  key: string,
  el: Element,
  options: ToJsonOptions,
): DicomJsonAttribute | undefined {
  if (el.items) {
    const items = el.items.flatMap((item) =>
      item.dataSet ? [dataSetToJson(item.dataSet, { ...options, pixelDataUri: undefined })] : [],
    );
    return sequence(items);
  }
  const vr = el.vr ?? 'UN';
  if (el.length === 0) return { vr };
  if (TEXT_VRS.has(vr)) return textValues(vr, splitValues(ds.string(key) ?? ''));
  if (SINGLE_TEXT_VRS.has(vr))
    return textValues(vr, [(ds.text(key) ?? '').replace(/[\s\0]+$/, '')]);
  if (vr === 'PN') return attribute('PN', ...splitValues(ds.string(key) ?? ''));
  if (vr === 'DS' || vr === 'IS')
    return attribute(vr, ...splitValues(ds.string(key) ?? '').map(Number));
  if (vr === 'AT') {
    const values: string[] = [];
    for (let i = 0; i < el.length / 4; i++) {
      const group = ds.uint16(key, 2 * i) ?? 0;
      const element = ds.uint16(key, 2 * i + 1) ?? 0;
      values.push(hex4(group) + hex4(element));
    }
    return attribute(vr, ...values);
  }
  const reader = NUMBER_READERS[vr];
  if (reader) {
    const [size, read] = reader;
    const values: number[] = [];
    for (let i = 0; i < Math.floor(el.length / size); i++) values.push(read(ds, key, i));
    return attribute(vr, ...values);
  }
  // Binary VRs (OB, OW, UN, …) and anything else: inline when small.
  if (el.length > INLINE_BINARY_MAX || el.dataOffset === undefined) return { vr };
  const bytes = ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length);
  return { vr, InlineBinary: Buffer.from(bytes).toString('base64') };
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

/** The values of a multi-valued string; the whole element string (not trimmed per value). */
function splitValues(text: string): string[] {
  return text
    .split('\\')
    .map((s) => s.replace(/^[\s\0]+|[\s\0]+$/g, ''))
    .filter((s, i, all) => s !== '' || all.length > 1);
}

function textValues(vr: string, values: readonly string[]): DicomJsonAttribute {
  const kept = values.filter((v) => v !== '');
  return kept.length ? { vr, Value: kept } : { vr };
}
