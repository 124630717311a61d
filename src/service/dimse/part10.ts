/**
 * A received C-STORE data set as a Part 10 file: preamble, `DICM`, a group 0002 meta header
 * made from the command's SOP class and instance UIDs and the presentation context's transfer
 * syntax, then the data set's bytes exactly as they came. `inspectInstance` parses the file as
 * the analysis will (io/dicom/parse-dicom.ts) and gives the StudyInstanceUID that groups it;
 * anything it cannot understand is a `FormatError` (the SCP answers 0xC000).
 */
import { FormatError } from '../../core/errors.js';
import { str } from '../../io/dicom/dataset-values.js';
import { parseDicom } from '../../io/dicom/parse-dicom.js';
import { encodeElements } from '../../io/dicom/write-dicom.js';

const IMPLEMENTATION_CLASS_UID = '1.2.826.0.1.3680043.8.498.1.1';
const UID_PATTERN = /^[0-9]+(\.[0-9]+)*$/;

export interface Part10Input {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
  /** The data set as received, in `transferSyntaxUid`. */
  readonly dataSet: Uint8Array;
}

export function toPart10(input: Part10Input): Uint8Array {
  const meta = encodeElements([
    { tag: [0x0002, 0x0001], vr: 'OB', value: new Uint8Array([0, 1]) },
    { tag: [0x0002, 0x0002], vr: 'UI', value: input.sopClassUid },
    { tag: [0x0002, 0x0003], vr: 'UI', value: input.sopInstanceUid },
    { tag: [0x0002, 0x0010], vr: 'UI', value: input.transferSyntaxUid },
    { tag: [0x0002, 0x0012], vr: 'UI', value: IMPLEMENTATION_CLASS_UID },
    { tag: [0x0002, 0x0013], vr: 'SH', value: 'NEUROTRIAGE' },
  ]);
  const groupLength = encodeElements([{ tag: [0x0002, 0x0000], vr: 'UL', value: meta.length }]);
  const out = new Uint8Array(132 + groupLength.length + meta.length + input.dataSet.length);
  out.set([0x44, 0x49, 0x43, 0x4d], 128); // DICM
  out.set(groupLength, 132);
  out.set(meta, 132 + groupLength.length);
  out.set(input.dataSet, 132 + groupLength.length + meta.length);
  return out;
}

export interface InstanceIdentity {
  readonly studyInstanceUid: string;
  readonly sopInstanceUid: string;
}

/** Parses a Part 10 file; throws a `FormatError` when it is not a usable instance. */
export function inspectInstance(file: Uint8Array): InstanceIdentity {
  const ds = parseDicom(file);
  const studyInstanceUid = str(ds, 'x0020000d');
  if (!studyInstanceUid || !UID_PATTERN.test(studyInstanceUid))
    throw new FormatError('the instance has no valid StudyInstanceUID (0020,000D)');
  const sopInstanceUid = str(ds, 'x00080018');
  if (!sopInstanceUid) throw new FormatError('the instance has no SOPInstanceUID (0008,0018)');
  return { studyInstanceUid, sopInstanceUid };
}
