/**
 * A small DICOM Part 10 writer: 128-byte preamble, `DICM`, group 0002 meta (with its group
 * length), then the data set in explicit VR little endian, elements sorted by tag and padded to
 * even length. Sequences are written from pre-encoded items (`sequenceItems`, or `sequence`
 * for a whole SQ element; items may nest). Used for our DICOM outputs (synthetic series, SEG,
 * SR, key images) and for test fixtures.
 */

export type DicomValue = string | number | number[] | Uint8Array | Uint16Array | Int16Array;

export interface DicomElementSpec {
  /** [group, element], e.g. [0x0028, 0x0010] for Rows. */
  readonly tag: readonly [number, number];
  /** Two-letter value representation, e.g. 'US', 'DS', 'OW'. */
  readonly vr: string;
  readonly value: DicomValue;
}

export interface WriteDicomOptions {
  readonly elements: readonly DicomElementSpec[];
  readonly transferSyntax?: 'explicit-le';
}

export const TS_EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';
export const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
const IMPLEMENTATION_CLASS_UID = '1.2.826.0.1.3680043.8.498.1.1';
/** Root for made-up UIDs (the pydicom/Medical Connections test root). */
export const FIXTURE_UID_ROOT = '1.2.826.0.1.3680043.8.498';
/** Root of UIDs NeuroTriage generates (same public test root; see `makeUid`). */
export const UID_ROOT = FIXTURE_UID_ROOT;

const STRING_VRS = new Set('AE AS CS DA DS DT IS LO LT PN SH ST TM UC UI UR UT'.split(' '));
/** VRs whose explicit-VR header has 2 reserved bytes and a 4-byte length. */
const LONG_VRS = new Set('OB OD OF OL OV OW SQ UC UN UR UT'.split(' '));

function stringBytes(vr: string, value: DicomValue): Uint8Array {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number') text = String(value);
  else if (Array.isArray(value)) text = value.map(String).join('\\');
  else throw new Error(`write-dicom: ${vr} needs a string or numbers, got binary data`);
  if (text.length % 2 === 1) text += vr === 'UI' ? '\0' : ' ';
  const out = new Uint8Array(text.length);
  for (let n = 0; n < text.length; n++) {
    const c = text.charCodeAt(n);
    if (c > 0xff) throw new Error(`write-dicom: non-Latin-1 character in ${vr} value`);
    out[n] = c;
  }
  return out;
}

/** Numbers as little-endian binary of the VR's type. */
function numberBytes(vr: string, values: readonly number[]): Uint8Array {
  const size = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8, AT: 2, OW: 2, OB: 1, UN: 1 }[vr];
  if (size === undefined) throw new Error(`write-dicom: cannot write numbers as ${vr}`);
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  values.forEach((v, n) => {
    const at = n * size;
    if (vr === 'US' || vr === 'AT' || vr === 'OW') view.setUint16(at, v & 0xffff, true);
    else if (vr === 'SS') view.setInt16(at, v, true);
    else if (vr === 'UL') view.setUint32(at, v, true);
    else if (vr === 'SL') view.setInt32(at, v, true);
    else if (vr === 'FL') view.setFloat32(at, v, true);
    else if (vr === 'FD') view.setFloat64(at, v, true);
    else out[at] = v;
  });
  return out;
}

function valueBytes(vr: string, value: DicomValue): Uint8Array {
  if (STRING_VRS.has(vr)) return stringBytes(vr, value);
  let bytes: Uint8Array;
  if (value instanceof Uint16Array || value instanceof Int16Array) {
    bytes = new Uint8Array(value.length * 2);
    const view = new DataView(bytes.buffer);
    value.forEach((v, n) => view.setInt16(n * 2, v, true));
  } else if (value instanceof Uint8Array) bytes = value;
  else if (typeof value === 'number') bytes = numberBytes(vr, [value]);
  else if (Array.isArray(value)) bytes = numberBytes(vr, value);
  else throw new Error(`write-dicom: ${vr} needs numbers or binary data, got a string`);
  if (bytes.length % 2 === 0) return bytes;
  const padded = new Uint8Array(bytes.length + 1); // binary pads with 0
  padded.set(bytes);
  return padded;
}

/** One element in explicit VR little endian: tag, VR, length (2 or 4 bytes), value. */
function encodeElement(spec: DicomElementSpec): Uint8Array {
  const [group, element] = spec.tag;
  const vr = spec.vr.toUpperCase();
  if (!/^[A-Z]{2}$/.test(vr)) throw new Error(`write-dicom: invalid VR "${spec.vr}"`);
  const value = valueBytes(vr, spec.value);
  const long = LONG_VRS.has(vr);
  const headerBytes = long ? 12 : 8;
  if (!long && value.length > 0xfffe)
    throw new Error(`write-dicom: ${vr} value of ${value.length} bytes needs a 4-byte length VR`);
  const out = new Uint8Array(headerBytes + value.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, group, true);
  view.setUint16(2, element, true);
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  if (long) view.setUint32(8, value.length, true);
  else view.setUint16(6, value.length, true);
  out.set(value, headerBytes);
  return out;
}

function tagNumber(spec: DicomElementSpec): number {
  return spec.tag[0] * 0x10000 + spec.tag[1];
}

/** Encodes elements (sorted by tag; a later spec with the same tag wins) back to back. */
export function encodeElements(elements: readonly DicomElementSpec[]): Uint8Array {
  const byTag = new Map<number, DicomElementSpec>();
  for (const e of elements) byTag.set(tagNumber(e), e);
  const parts = [...byTag.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => encodeElement(e));
  return concat(parts);
}

/** Items of a sequence (defined lengths), for an SQ element's value. */
export function sequenceItems(items: readonly (readonly DicomElementSpec[])[]): Uint8Array {
  return concat(
    items.map((item) => {
      const body = encodeElements(item);
      const head = new Uint8Array(8);
      const view = new DataView(head.buffer);
      view.setUint16(0, 0xfffe, true);
      view.setUint16(2, 0xe000, true);
      view.setUint32(4, body.length, true);
      return concat([head, body]);
    }),
  );
}

/** An SQ element from its items (each a list of elements, which may hold sequences in turn). */
export function sequence(
  tag: readonly [number, number],
  items: readonly (readonly DicomElementSpec[])[],
): DicomElementSpec {
  return { tag, vr: 'SQ', value: sequenceItems(items) };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function stringValue(elements: readonly DicomElementSpec[], group: number, element: number) {
  const found = [...elements].reverse().find((e) => e.tag[0] === group && e.tag[1] === element);
  return typeof found?.value === 'string' ? found.value : undefined;
}

/**
 * A Part 10 file. Meta elements (group 0002) are generated from the data set's SOP Class and
 * Instance UIDs; specs in group 0002 given by the caller replace the generated ones.
 */
export function writeDicom(options: WriteDicomOptions): Uint8Array {
  const ts = options.transferSyntax ?? 'explicit-le';
  if (ts !== 'explicit-le') throw new Error(`write-dicom: unsupported transfer syntax ${ts}`);
  const given = options.elements;
  const meta: DicomElementSpec[] = [
    { tag: [0x0002, 0x0001], vr: 'OB', value: new Uint8Array([0, 1]) },
    {
      tag: [0x0002, 0x0002],
      vr: 'UI',
      value: stringValue(given, 0x0008, 0x0016) ?? '1.2.840.10008.5.1.4.1.1.7',
    },
    {
      tag: [0x0002, 0x0003],
      vr: 'UI',
      value: stringValue(given, 0x0008, 0x0018) ?? `${FIXTURE_UID_ROOT}.9.1`,
    },
    { tag: [0x0002, 0x0010], vr: 'UI', value: TS_EXPLICIT_VR_LE },
    { tag: [0x0002, 0x0012], vr: 'UI', value: IMPLEMENTATION_CLASS_UID },
    { tag: [0x0002, 0x0013], vr: 'SH', value: 'NEUROTRIAGE' },
    ...given.filter((e) => e.tag[0] === 0x0002 && e.tag[1] !== 0x0000),
  ];
  const metaBody = encodeElements(meta);
  const groupLength = encodeElement({ tag: [0x0002, 0x0000], vr: 'UL', value: metaBody.length });
  const dataSet = encodeElements(given.filter((e) => e.tag[0] !== 0x0002));
  const prefix = new Uint8Array(132);
  prefix.set([0x44, 0x49, 0x43, 0x4d], 128); // DICM
  return concat([prefix, groupLength, metaBody, dataSet]);
}
