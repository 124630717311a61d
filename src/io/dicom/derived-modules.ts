/**
 * The modules every object derived from a source series shares (SEG, SR, key images): Patient
 * and General Study copied from the source (so the object files into the same study), General
 * Series, General and Enhanced General Equipment naming NeuroTriage and the model, SOP Common,
 * and the Common Instance Reference module listing the source series and instances.
 */
import type { DicomSourceReference } from '../../core/dicom-source.js';
import { dicomDateTime } from './uid.js';
import { type DicomElementSpec, sequence } from './write-dicom.js';

/** The software (and model) that made an object, as DICOM equipment. */
export interface DeviceIdentity {
  readonly manufacturer: string;
  readonly modelName: string;
  readonly serialNumber: string;
  readonly softwareVersions: readonly string[];
}

/** Identity of one derived object. */
export interface DerivedInstance {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly seriesNumber: number;
  readonly seriesDescription: string;
  readonly modality: string;
  readonly instanceNumber?: number;
  /** Content and instance creation date/time. */
  readonly createdAt: Date;
}

/**
 * Our own text in DICOM's default repertoire (ASCII): accents dropped, dashes and common
 * symbols spelled out, anything else '?'. Source values are copied as stored instead.
 */
export function asciiText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\u2264/g, '<=')
    .replace(/\u2265/g, '>=')
    .replace(/\u00d7/g, 'x')
    .replace(/\u00b5|\u03bc/g, 'u')
    .replace(/[^\x20-\x7e\n\r\t]/g, '?');
}

/** Our own text for an LO element: ASCII, cut to the VR's 64 characters. */
export function loText(text: string): string {
  return asciiText(text).slice(0, 64);
}

/** A copied value when it is valid for its VR, else empty (these elements are Type 2). */
function ifValid(value: string | undefined, pattern: RegExp): string {
  return value !== undefined && pattern.test(value) ? value : '';
}
const DA = /^\d{8}$/;
const TM = /^\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?$/;
const SEX = /^[MFO]$/;

/**
 * Patient and General Study modules, and the character set, from the source. Values are
 * copied as stored, except dates, times and sex that are not valid for their VR (e.g. "***"
 * left by an anonymiser), which are written empty rather than copied invalid.
 */
export function patientStudyElements(source: DicomSourceReference): DicomElementSpec[] {
  const { patient, study } = source;
  const out: DicomElementSpec[] = [
    { tag: [0x0010, 0x0010], vr: 'PN', value: patient.name ?? '' },
    { tag: [0x0010, 0x0020], vr: 'LO', value: patient.id ?? '' },
    { tag: [0x0010, 0x0030], vr: 'DA', value: ifValid(patient.birthDate, DA) },
    { tag: [0x0010, 0x0040], vr: 'CS', value: ifValid(patient.sex, SEX) },
    { tag: [0x0020, 0x000d], vr: 'UI', value: source.studyInstanceUid },
    { tag: [0x0008, 0x0020], vr: 'DA', value: ifValid(study.date, DA) },
    { tag: [0x0008, 0x0030], vr: 'TM', value: ifValid(study.time, TM) },
    { tag: [0x0008, 0x0090], vr: 'PN', value: study.referringPhysicianName ?? '' },
    { tag: [0x0020, 0x0010], vr: 'SH', value: study.id ?? '' },
    { tag: [0x0008, 0x0050], vr: 'SH', value: study.accessionNumber ?? '' },
  ];
  if (study.description) out.push({ tag: [0x0008, 0x1030], vr: 'LO', value: study.description });
  if (source.specificCharacterSet)
    out.push({ tag: [0x0008, 0x0005], vr: 'CS', value: source.specificCharacterSet });
  return out;
}

/** General Series, General Image basics, SOP Common and content date/time. */
export function instanceElements(instance: DerivedInstance): DicomElementSpec[] {
  const { date, time } = dicomDateTime(instance.createdAt);
  return [
    { tag: [0x0008, 0x0016], vr: 'UI', value: instance.sopClassUid },
    { tag: [0x0008, 0x0018], vr: 'UI', value: instance.sopInstanceUid },
    { tag: [0x0008, 0x0012], vr: 'DA', value: date },
    { tag: [0x0008, 0x0013], vr: 'TM', value: time },
    { tag: [0x0008, 0x0021], vr: 'DA', value: date },
    { tag: [0x0008, 0x0031], vr: 'TM', value: time },
    { tag: [0x0008, 0x0023], vr: 'DA', value: date },
    { tag: [0x0008, 0x0033], vr: 'TM', value: time },
    { tag: [0x0008, 0x0060], vr: 'CS', value: instance.modality },
    { tag: [0x0008, 0x103e], vr: 'LO', value: loText(instance.seriesDescription) },
    { tag: [0x0020, 0x000e], vr: 'UI', value: instance.seriesInstanceUid },
    { tag: [0x0020, 0x0011], vr: 'IS', value: String(instance.seriesNumber) },
    { tag: [0x0020, 0x0013], vr: 'IS', value: String(instance.instanceNumber ?? 1) },
  ];
}

/** General Equipment and Enhanced General Equipment. */
export function equipmentElements(device: DeviceIdentity): DicomElementSpec[] {
  return [
    { tag: [0x0008, 0x0070], vr: 'LO', value: loText(device.manufacturer) },
    { tag: [0x0008, 0x1090], vr: 'LO', value: loText(device.modelName) },
    { tag: [0x0018, 0x1000], vr: 'LO', value: loText(device.serialNumber) },
    { tag: [0x0018, 0x1020], vr: 'LO', value: device.softwareVersions.map(loText).join('\\') },
  ];
}

/**
 * Referenced Series Sequence (Common Instance Reference module): every source series with
 * its instances. All sources are in the object's own study, so no other-study sequence.
 */
export function referencedSeriesElement(
  sources: readonly DicomSourceReference[],
): DicomElementSpec {
  return sequence(
    [0x0008, 0x1115],
    sources.map((s) => [
      { tag: [0x0020, 0x000e], vr: 'UI', value: s.seriesInstanceUid },
      sequence([0x0008, 0x114a], referencedInstances(s).map(sopReference)),
    ]),
  );
}

/** Distinct SOP instances of a source, in first-seen order. */
export function referencedInstances(
  source: DicomSourceReference,
): { sopClassUid: string; sopInstanceUid: string }[] {
  const seen = new Map<string, { sopClassUid: string; sopInstanceUid: string }>();
  for (const im of source.images)
    if (!seen.has(im.sopInstanceUid))
      seen.set(im.sopInstanceUid, {
        sopClassUid: im.sopClassUid,
        sopInstanceUid: im.sopInstanceUid,
      });
  return [...seen.values()];
}

/** Referenced SOP Class and Instance UIDs of one item. */
export function sopReference(ref: {
  sopClassUid: string;
  sopInstanceUid: string;
}): DicomElementSpec[] {
  return [
    { tag: [0x0008, 0x1150], vr: 'UI', value: ref.sopClassUid },
    { tag: [0x0008, 0x1155], vr: 'UI', value: ref.sopInstanceUid },
  ];
}
