/**
 * DICOM-aware mutations, on the element headers found by `walkDicom`: a corrupt length, a
 * corrupt VR, header fields at extremes (image size, bit depth, spacing, frames…), and deeply
 * nested sequences of undefined length. Each returns the mutant bytes and one line of detail.
 */
import type { Rng } from '../core/random.js';
import { type DicomEncoding, type ElementHeader, walkDicom } from './dicom-walk.js';

export interface DicomMutation {
  readonly bytes: Uint8Array;
  readonly detail: string;
}

const tagText = (h: { group: number; element: number }): string =>
  `(${h.group.toString(16).padStart(4, '0')},${h.element.toString(16).padStart(4, '0')})`;

function splice(bytes: Uint8Array, start: number, end: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - (end - start) + insert.length);
  out.set(bytes.subarray(0, start), 0);
  out.set(insert, start);
  out.set(bytes.subarray(end), start + insert.length);
  return out;
}

/** Sets one element's length field to a value that does not fit (or is odd, zero, undefined). */
export function corruptLength(bytes: Uint8Array, rng: Rng): DicomMutation {
  const { elements } = walkDicom(bytes);
  if (elements.length === 0) return { bytes: bytes.slice(), detail: 'no element found' };
  const h = rng.pick(elements);
  const max = h.lengthBytes === 2 ? 0xffff : 0xffffffff;
  const choices = [
    0,
    1,
    h.length + 1,
    h.length * 2 + 2,
    max,
    max - 1,
    bytes.length,
    bytes.length - h.valueOffset + 2,
    rng.int(0, max),
  ];
  const length = Math.min(max, rng.pick(choices));
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  if (h.lengthBytes === 2) view.setUint16(h.lengthOffset, length, h.littleEndian);
  else view.setUint32(h.lengthOffset, length, h.littleEndian);
  return { bytes: out, detail: `length of ${tagText(h)} ${h.length} → ${length}` };
}

const VR_CHOICES = ['SQ', 'OB', 'UN', 'US', 'DS', 'UT', 'FD', 'AT', 'ZZ', '\0\0', '  ', 'ob'];

/** Replaces one explicit VR by another (short ↔ long header layouts) or by garbage. */
export function corruptVr(bytes: Uint8Array, rng: Rng): DicomMutation {
  const explicit = walkDicom(bytes).elements.filter((h) => h.vr !== undefined);
  if (explicit.length === 0) return { bytes: bytes.slice(), detail: 'no explicit VR found' };
  const h = rng.pick(explicit);
  const vr = rng.pick(VR_CHOICES.filter((v) => v !== h.vr));
  const out = bytes.slice();
  out[h.offset + 4] = vr.charCodeAt(0);
  out[h.offset + 5] = vr.charCodeAt(1);
  return { bytes: out, detail: `VR of ${tagText(h)} ${h.vr ?? ''} → ${JSON.stringify(vr)}` };
}

interface ExtremeField {
  readonly name: string;
  readonly tag: readonly [number, number];
  readonly vr: 'US' | 'DS' | 'IS' | 'CS' | 'SH' | 'FD' | 'FL';
  /** Values per element (DS multiplicity). */
  readonly count: number;
  readonly values: readonly (string | number)[];
}

const DS_EXTREMES = [
  '0',
  '1e-300',
  '1e-20',
  '1e20',
  '1e300',
  '-1',
  '-0',
  'NaN',
  'Infinity',
  '-inf',
  'abc',
  '',
];
const US_EXTREMES = [0, 1, 3, 7, 13, 33, 64, 0x7fff, 0x8000, 0xffff];
const FLOAT_EXTREMES = [0, -1, 1e-300, 1e20, 1e300, NaN, Infinity, -Infinity];
const COUNTS = ['0', '-1', '1e20', 'NaN', '2147483648', '99999', '1.5', ''];
const FIELDS: readonly ExtremeField[] = [
  { name: 'Rows', tag: [0x0028, 0x0010], vr: 'US', count: 1, values: US_EXTREMES },
  { name: 'Columns', tag: [0x0028, 0x0011], vr: 'US', count: 1, values: US_EXTREMES },
  { name: 'BitsAllocated', tag: [0x0028, 0x0100], vr: 'US', count: 1, values: US_EXTREMES },
  { name: 'BitsStored', tag: [0x0028, 0x0101], vr: 'US', count: 1, values: US_EXTREMES },
  { name: 'HighBit', tag: [0x0028, 0x0102], vr: 'US', count: 1, values: US_EXTREMES },
  { name: 'SamplesPerPixel', tag: [0x0028, 0x0002], vr: 'US', count: 1, values: US_EXTREMES },
  {
    name: 'PixelRepresentation',
    tag: [0x0028, 0x0103],
    vr: 'US',
    count: 1,
    values: [0, 1, 2, 0xffff],
  },
  { name: 'PixelSpacing', tag: [0x0028, 0x0030], vr: 'DS', count: 2, values: DS_EXTREMES },
  { name: 'SliceThickness', tag: [0x0018, 0x0050], vr: 'DS', count: 1, values: DS_EXTREMES },
  { name: 'SpacingBetweenSlices', tag: [0x0018, 0x0088], vr: 'DS', count: 1, values: DS_EXTREMES },
  { name: 'ImagePositionPatient', tag: [0x0020, 0x0032], vr: 'DS', count: 3, values: DS_EXTREMES },
  {
    name: 'ImageOrientationPatient',
    tag: [0x0020, 0x0037],
    vr: 'DS',
    count: 6,
    values: DS_EXTREMES,
  },
  { name: 'RescaleSlope', tag: [0x0028, 0x1053], vr: 'DS', count: 1, values: DS_EXTREMES },
  { name: 'RescaleIntercept', tag: [0x0028, 0x1052], vr: 'DS', count: 1, values: DS_EXTREMES },
  {
    name: 'NumberOfFrames',
    tag: [0x0028, 0x0008],
    vr: 'IS',
    count: 1,
    values: COUNTS,
  },
  {
    name: 'ImageType',
    tag: [0x0008, 0x0008],
    vr: 'CS',
    count: 1,
    values: ['ORIGINAL\\PRIMARY\\M\\MOSAIC', 'ORIGINAL\\PRIMARY\\M\\VFRAME', ''],
  },
  {
    name: 'NumberOfImagesInMosaic',
    tag: [0x0019, 0x100a],
    vr: 'US',
    count: 1,
    values: US_EXTREMES,
  },
  { name: 'UIH slice count', tag: [0x0065, 0x1050], vr: 'DS', count: 1, values: COUNTS },
  {
    name: 'UIH tile size',
    tag: [0x0065, 0x1004],
    vr: 'SH',
    count: 1,
    values: ['0*0', '1e9*1', 'abc', '-64*64', '1', '99999*99999', '*'],
  },
  { name: 'DiffusionBValue', tag: [0x0018, 0x9087], vr: 'FD', count: 1, values: FLOAT_EXTREMES },
  {
    name: 'DiffusionGradientOrientation',
    tag: [0x0018, 0x9089],
    vr: 'FD',
    count: 3,
    values: FLOAT_EXTREMES,
  },
  {
    name: 'Philips DiffusionBFactor',
    tag: [0x2001, 0x1003],
    vr: 'FL',
    count: 1,
    values: FLOAT_EXTREMES,
  },
  { name: 'GE slop integers', tag: [0x0043, 0x1039], vr: 'IS', count: 4, values: COUNTS },
  { name: 'Siemens B_value', tag: [0x0019, 0x100c], vr: 'IS', count: 1, values: COUNTS },
  {
    name: 'PhotometricInterpretation',
    tag: [0x0028, 0x0004],
    vr: 'CS',
    count: 1,
    values: ['RGB', 'PALETTE COLOR', 'YBR_FULL_422', 'XYZ', ''],
  },
];

function valueBytes(
  field: ExtremeField,
  value: string | number,
  rng: Rng,
  littleEndian: boolean,
): Uint8Array {
  if (field.vr === 'US' || field.vr === 'FD' || field.vr === 'FL') {
    const size = { US: 2, FD: 8, FL: 4 }[field.vr];
    const out = new Uint8Array(size * field.count);
    const view = new DataView(out.buffer);
    for (let n = 0; n < field.count; n++) {
      const v = rng.chance(0.7) || n === 0 ? Number(value) : 1;
      if (field.vr === 'US') view.setUint16(n * size, v, littleEndian);
      else if (field.vr === 'FD') view.setFloat64(n * size, v, littleEndian);
      else view.setFloat32(n * size, v, littleEndian);
    }
    return out;
  }
  // Mostly the extreme in every position; sometimes only in one.
  const values = Array.from({ length: field.count }, (_, n) =>
    rng.chance(0.7) || n === 0 ? String(value) : '1',
  );
  let text = values.join('\\');
  if (text.length % 2 === 1) text += ' ';
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function encodeElement(
  tag: readonly [number, number],
  vr: string,
  value: Uint8Array,
  enc: DicomEncoding,
): Uint8Array {
  const head = new Uint8Array(8);
  const view = new DataView(head.buffer);
  view.setUint16(0, tag[0], enc.littleEndian);
  view.setUint16(2, tag[1], enc.littleEndian);
  if (enc.explicit) {
    head[4] = vr.charCodeAt(0);
    head[5] = vr.charCodeAt(1);
    view.setUint16(6, value.length, enc.littleEndian);
  } else view.setUint32(4, value.length, enc.littleEndian);
  const out = new Uint8Array(8 + value.length);
  out.set(head);
  out.set(value, 8);
  return out;
}

/** Where a top-level element with this tag goes (before the first larger tag). */
function insertionPoint(
  elements: readonly ElementHeader[],
  dataSetOffset: number,
  tag: readonly [number, number],
  end: number,
): number {
  const key = tag[0] * 0x10000 + tag[1];
  const next = elements.find(
    (h) => h.depth === 0 && h.offset >= dataSetOffset && h.group * 0x10000 + h.element > key,
  );
  return next?.offset ?? end;
}

/** Sets a header field (every occurrence, nested ones too when the value fits) to an extreme. */
export function fieldExtreme(bytes: Uint8Array, rng: Rng): DicomMutation {
  const layout = walkDicom(bytes);
  // Mostly a field the file has (nested ones included), sometimes one inserted.
  const present = FIELDS.filter((f) =>
    layout.elements.some((h) => h.group === f.tag[0] && h.element === f.tag[1]),
  );
  const field = rng.pick(present.length > 0 && rng.chance(0.8) ? present : FIELDS);
  const value = rng.pick(field.values);
  const detail = `${field.name} = ${JSON.stringify(value)}`;
  if (!layout.encoding)
    return { bytes: bytes.slice(), detail: `${detail} (deflated data set: unchanged)` };
  const enc = layout.encoding;
  const found = layout.elements.filter(
    (h) =>
      h.group === field.tag[0] && h.element === field.tag[1] && h.offset >= layout.dataSetOffset,
  );
  let out: Uint8Array = bytes.slice();
  // From the end backwards, so that a re-encoded element does not move the ones before it.
  for (const h of [...found].sort((a, b) => b.offset - a.offset)) {
    const v = valueBytes(field, value, rng, h.littleEndian);
    if (v.length <= h.length && h.valueOffset + h.length <= out.length) {
      const binary = field.vr === 'US' || field.vr === 'FD' || field.vr === 'FL';
      const padded = new Uint8Array(h.length).fill(binary ? 0 : 0x20);
      padded.set(v);
      out.set(padded, h.valueOffset);
    } else if (h.depth === 0 && h.lengthBytes === 2 && h.valueOffset + h.length <= out.length) {
      out = splice(
        out,
        h.offset,
        h.valueOffset + h.length,
        encodeElement(field.tag, field.vr, v, enc),
      );
    }
  }
  if (found.length === 0) {
    const at = insertionPoint(layout.elements, layout.dataSetOffset, field.tag, out.length);
    out = splice(
      out,
      at,
      at,
      encodeElement(field.tag, field.vr, valueBytes(field, value, rng, enc.littleEndian), enc),
    );
    return { bytes: out, detail: `${detail} (inserted)` };
  }
  return { bytes: out, detail };
}

/** Header of an element or item with undefined length. */
function undefinedLengthHeader(
  group: number,
  element: number,
  vr: string | undefined,
  enc: DicomEncoding,
): Uint8Array {
  const explicitVr = enc.explicit && vr !== undefined;
  const out = new Uint8Array(explicitVr ? 12 : 8);
  const view = new DataView(out.buffer);
  view.setUint16(0, group, enc.littleEndian);
  view.setUint16(2, element, enc.littleEndian);
  if (explicitVr) {
    out[4] = vr.charCodeAt(0);
    out[5] = vr.charCodeAt(1);
    view.setUint32(8, 0xffffffff, enc.littleEndian);
  } else view.setUint32(4, 0xffffffff, enc.littleEndian);
  return out;
}

function delimiter(element: number, enc: DicomEncoding): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0xfffe, enc.littleEndian);
  view.setUint16(2, element, enc.littleEndian);
  return out;
}

/** Sequences nested `depth` deep, each of undefined length; closed or left open. */
export function nestedSequence(depth: number, enc: DicomEncoding, closed: boolean): Uint8Array {
  // (0040,0275) Request Attributes Sequence, nested in itself.
  const open = [
    undefinedLengthHeader(0x0040, 0x0275, 'SQ', enc),
    undefinedLengthHeader(0xfffe, 0xe000, undefined, enc),
  ];
  const close = [delimiter(0xe00d, enc), delimiter(0xe0dd, enc)];
  const unit = open[0]!.length + open[1]!.length;
  const out = new Uint8Array(depth * unit + (closed ? depth * 16 : 0));
  let at = 0;
  const put = (parts: readonly Uint8Array[]) => {
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
  };
  for (let d = 0; d < depth; d++) put(open);
  if (closed) for (let d = 0; d < depth; d++) put(close);
  return out;
}

/** Inserts a deeply nested sequence of undefined lengths at the top of the data set. */
export function nestedSq(bytes: Uint8Array, rng: Rng): DicomMutation {
  const layout = walkDicom(bytes);
  if (!layout.encoding) return { bytes: bytes.slice(), detail: 'deflated data set: unchanged' };
  const depth = rng.pick([2, 10, 100, 1000, 5000, 20000]);
  const closed = rng.chance(0.7);
  const at = insertionPoint(layout.elements, layout.dataSetOffset, [0x0040, 0x0275], bytes.length);
  const sq = nestedSequence(depth, layout.encoding, closed);
  return {
    bytes: splice(bytes, at, at, sq),
    detail: `${closed ? 'closed' : 'unclosed'} SQ nested ${depth} deep at ${at}`,
  };
}

const WORDS = [0, 1, 0x7fffffff, 0xffffffff, 0x80000000, 0x10000, 0xffff];

/**
 * Corrupts bytes inside one element's value, private and binary elements (CSA headers, private
 * sequences) drawn more often: flipped bytes, or 32-bit words set to huge counts.
 */
export function valueFlip(bytes: Uint8Array, rng: Rng): DicomMutation {
  const candidates = walkDicom(bytes).elements.filter(
    (h) =>
      h.length > 0 &&
      h.length !== 0xffffffff &&
      h.valueOffset + h.length <= bytes.length &&
      !(h.group === 0x7fe0),
  );
  if (candidates.length === 0) return { bytes: bytes.slice(), detail: 'no element value found' };
  const weighted = candidates.filter((h) => h.group % 2 === 1 || h.length > 64);
  const h = rng.pick(weighted.length > 0 && rng.chance(0.7) ? weighted : candidates);
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  const edits = rng.int(1, 8);
  for (let n = 0; n < edits; n++) {
    const at = h.valueOffset + rng.int(0, h.length - 1);
    if (rng.chance(0.5) && at + 4 <= h.valueOffset + h.length)
      view.setUint32(at - ((at - h.valueOffset) % 4), rng.pick(WORDS), h.littleEndian);
    else out[at] = rng.int(0, 255);
  }
  return {
    bytes: out,
    detail: `${edits} edit(s) in the value of ${tagText(h)} (${h.length} bytes)`,
  };
}
