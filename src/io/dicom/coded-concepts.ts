/**
 * Coded concepts (code value, coding scheme, meaning) and their encoding as a DICOM Code
 * Sequence item; the codes our SEG and SR use, with where they come from (PS3.16 context groups
 * and templates; SNOMED CT codes checked against DICOM's lists). Our own concepts that no
 * standard names (the triage score and result, the model file's hash) use the private coding
 * scheme `99NTRG`, declared in each SR's Coding Scheme Identification Sequence.
 */
import { type DicomElementSpec, sequence } from './write-dicom.js';

export interface CodedConcept {
  readonly value: string;
  readonly scheme: string;
  readonly meaning: string;
}

export function code(value: string, scheme: string, meaning: string): CodedConcept {
  return { value, scheme, meaning };
}

/** The elements of one Code Sequence item (Basic Coded Entry Attributes). */
export function codeItem(c: CodedConcept): DicomElementSpec[] {
  if (c.value.length > 16) throw new Error(`code value "${c.value}" is longer than 16 characters`);
  return [
    { tag: [0x0008, 0x0100], vr: 'SH', value: c.value },
    { tag: [0x0008, 0x0102], vr: 'SH', value: c.scheme },
    { tag: [0x0008, 0x0104], vr: 'LO', value: c.meaning },
  ];
}

/** A code sequence element holding one item. */
export function codeSequence(tag: readonly [number, number], c: CodedConcept): DicomElementSpec {
  return sequence(tag, [codeItem(c)]);
}

export const LOCAL_SCHEME = {
  designator: '99NTRG',
  name: 'NeuroTriage local concepts',
  organisation: 'NeuroTriage',
} as const;

/** Codes used by the SEG and SR writers. */
export const CODES = {
  // PS3.16 CID 7203 (Image Derivation) and CID 7202 (Purpose of Reference).
  segmentation: code('113076', 'DCM', 'Segmentation'),
  sourceForProcessing: code('121322', 'DCM', 'Source image for image processing operation'),
  // CID 7162 (Surface Processing Algorithm Families).
  artificialIntelligence: code('123110', 'DCM', 'Artificial Intelligence'),
  // TID 1500 Measurement Report and its sub-templates.
  imagingMeasurementReport: code('126000', 'DCM', 'Imaging Measurement Report'),
  imagingMeasurements: code('126010', 'DCM', 'Imaging Measurements'),
  qualitativeEvaluations: code('C0034375', 'UMLS', 'Qualitative Evaluations'),
  measurementGroup: code('125007', 'DCM', 'Measurement Group'),
  trackingIdentifier: code('112039', 'DCM', 'Tracking Identifier'),
  trackingUid: code('112040', 'DCM', 'Tracking Unique Identifier'),
  finding: code('121071', 'DCM', 'Finding'),
  findingSite: code('363698007', 'SCT', 'Finding Site'),
  referencedSegment: code('121191', 'DCM', 'Referenced Segment'),
  sourceSeriesForSegmentation: code('121232', 'DCM', 'Source series for segmentation'),
  volume: code('118565006', 'SCT', 'Volume'),
  numberOfLesions: code('246206008', 'SCT', 'Number of lesions'),
  comment: code('121106', 'DCM', 'Comment'),
  procedureReported: code('121058', 'DCM', 'Procedure reported'),
  // TID 1204 Language, CID 5000 Languages.
  languageOfContent: code('121049', 'DCM', 'Language of Content Item and Descendants'),
  englishUs: code('en-US', 'RFC5646', 'English, United States'),
  // TID 1002/1004 Observer Context.
  observerType: code('121005', 'DCM', 'Observer Type'),
  device: code('121007', 'DCM', 'Device'),
  deviceObserverUid: code('121012', 'DCM', 'Device Observer UID'),
  deviceObserverName: code('121013', 'DCM', 'Device Observer Name'),
  deviceObserverManufacturer: code('121014', 'DCM', 'Device Observer Manufacturer'),
  deviceObserverModelName: code('121015', 'DCM', 'Device Observer Model Name'),
  // TID 4019 Algorithm Identification.
  algorithmName: code('111001', 'DCM', 'Algorithm Name'),
  algorithmVersion: code('111003', 'DCM', 'Algorithm Version'),
  // CID 100 Quantitative Diagnostic Imaging Procedures.
  ctProcedure: code('25045-6', 'LN', 'CT unspecified body region'),
  mrProcedure: code('25056-3', 'LN', 'MRI unspecified body region'),
  // Qualifier values (SNOMED CT), CID 250 Positive/Negative.
  positive: code('10828004', 'SCT', 'Positive'),
  negative: code('260385009', 'SCT', 'Negative'),
  // UCUM units.
  millilitre: code('ml', 'UCUM', 'milliliter'),
  noUnits: code('1', 'UCUM', 'no units'),
  // Local concepts.
  triageResult: code('NT-TRIAGE', LOCAL_SCHEME.designator, 'Triage result'),
  triageScore: code('NT-SCORE', LOCAL_SCHEME.designator, 'Triage score'),
  modelSha256: code('NT-MODEL-SHA256', LOCAL_SCHEME.designator, 'Model file SHA-256'),
  // Triage result of a study that could not be judged (issue 25), and why.
  notAssessable: code('NT-NOTASSESS', LOCAL_SCHEME.designator, 'Not assessable'),
  notAssessableReason: code('NT-REASON', LOCAL_SCHEME.designator, 'Reason not assessable'),
} as const;
