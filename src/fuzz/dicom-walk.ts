/**
 * Walks the element headers of DICOM bytes without a dictionary: the file meta (explicit VR
 * little endian), then the data set in the encoding the meta names (explicit or implicit VR,
 * little or big endian; a deflated data set is not walked). Items of sequences and sequences of
 * undefined length are entered, so nested elements are found too; encapsulated pixel data is
 * stepped over fragment by fragment. Used to corrupt one element's length or VR in place.
 */

export interface ElementHeader {
  /** Offset of the tag. */
  readonly offset: number;
  readonly group: number;
  readonly element: number;
  /** Explicit VR (two letters) or undefined for implicit VR and items/delimiters. */
  readonly vr: string | undefined;
  readonly lengthOffset: number;
  /** Bytes of the length field: 2 (short explicit VR) or 4. */
  readonly lengthBytes: 2 | 4;
  readonly length: number;
  readonly valueOffset: number;
  readonly littleEndian: boolean;
  /** Nesting depth: 0 for the top level of the meta or data set. */
  readonly depth: number;
}

export interface DicomEncoding {
  readonly explicit: boolean;
  readonly littleEndian: boolean;
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT']);
const UNDEFINED = 0xffffffff;

export function hasPart10Prefix(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && String.fromCharCode(...bytes.subarray(128, 132)) === 'DICM';
}

function isVr(a: number | undefined, b: number | undefined): boolean {
  return a !== undefined && b !== undefined && a >= 0x41 && a <= 0x5a && b >= 0x41 && b <= 0x5a;
}

/** The encoding of a data set from its transfer syntax UID. */
export function encodingOf(transferSyntax: string | undefined): DicomEncoding | undefined {
  if (transferSyntax === '1.2.840.10008.1.2') return { explicit: false, littleEndian: true };
  if (transferSyntax === '1.2.840.10008.1.2.2') return { explicit: true, littleEndian: false };
  if (transferSyntax === '1.2.840.10008.1.2.1.99') return undefined; // deflated
  return { explicit: true, littleEndian: true };
}

interface Walk {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly out: ElementHeader[];
  readonly limit: number;
}

function readHeader(
  w: Walk,
  at: number,
  enc: DicomEncoding,
  depth: number,
): ElementHeader | undefined {
  const { bytes, view } = w;
  if (at + 8 > bytes.length) return undefined;
  const le = enc.littleEndian;
  const group = view.getUint16(at, le);
  const element = view.getUint16(at + 2, le);
  if (group === 0xfffe) {
    const length = view.getUint32(at + 4, le);
    return {
      offset: at,
      group,
      element,
      vr: undefined,
      lengthOffset: at + 4,
      lengthBytes: 4,
      length,
      valueOffset: at + 8,
      littleEndian: le,
      depth,
    };
  }
  if (enc.explicit && isVr(bytes[at + 4], bytes[at + 5])) {
    const vr = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!);
    if (LONG_VRS.has(vr)) {
      if (at + 12 > bytes.length) return undefined;
      const length = view.getUint32(at + 8, le);
      return {
        offset: at,
        group,
        element,
        vr,
        lengthOffset: at + 8,
        lengthBytes: 4,
        length,
        valueOffset: at + 12,
        littleEndian: le,
        depth,
      };
    }
    const length = view.getUint16(at + 6, le);
    return {
      offset: at,
      group,
      element,
      vr,
      lengthOffset: at + 6,
      lengthBytes: 2,
      length,
      valueOffset: at + 8,
      littleEndian: le,
      depth,
    };
  }
  if (enc.explicit) return undefined; // not a VR where one must be: stop
  const length = view.getUint32(at + 4, le);
  return {
    offset: at,
    group,
    element,
    vr: undefined,
    lengthOffset: at + 4,
    lengthBytes: 4,
    length,
    valueOffset: at + 8,
    littleEndian: le,
    depth,
  };
}

/**
 * Walks elements from `start` to `end` (or to a delimiter at this depth when `end` is
 * undefined), returning where it stopped.
 */
function walkRange(
  w: Walk,
  start: number,
  end: number,
  enc: DicomEncoding,
  depth: number,
  stopAtMetaEnd: boolean,
): number {
  let at = start;
  while (at < end && w.out.length < w.limit) {
    const h = readHeader(w, at, enc, depth);
    if (!h) return end;
    if (stopAtMetaEnd && h.group !== 0x0002) return at;
    w.out.push(h);
    const isDelimiter = h.group === 0xfffe && (h.element === 0xe00d || h.element === 0xe0dd);
    if (isDelimiter) return h.valueOffset;
    const isPixelData = h.group === 0x7fe0 && h.element === 0x0010;
    if (h.length === UNDEFINED) {
      if (isPixelData || h.vr === 'OB' || h.vr === 'OW' || h.vr === 'UN')
        at = skipFragments(w, h.valueOffset, enc);
      else if (depth >= 64)
        return w.bytes.length; // deeper nesting: stop, the stack is finite
      else at = walkRange(w, h.valueOffset, w.bytes.length, enc, depth + 1, false);
    } else {
      const next = h.valueOffset + h.length;
      const entersItems = h.vr === 'SQ' || (h.group === 0xfffe && h.element === 0xe000);
      if (entersItems && next <= w.bytes.length && depth < 64)
        walkRange(w, h.valueOffset, next, enc, depth + 1, false);
      at = next;
    }
  }
  return at;
}

function skipFragments(w: Walk, start: number, enc: DicomEncoding): number {
  let at = start;
  while (at + 8 <= w.bytes.length) {
    const group = w.view.getUint16(at, enc.littleEndian);
    const element = w.view.getUint16(at + 2, enc.littleEndian);
    const length = w.view.getUint32(at + 4, enc.littleEndian);
    if (group !== 0xfffe) return w.bytes.length;
    if (element === 0xe0dd) return at + 8;
    at += 8 + length;
  }
  return w.bytes.length;
}

function transferSyntaxOfMeta(
  bytes: Uint8Array,
  meta: readonly ElementHeader[],
): string | undefined {
  const ts = meta.find((h) => h.group === 0x0002 && h.element === 0x0010);
  if (!ts || ts.valueOffset + ts.length > bytes.length) return undefined;
  return String.fromCharCode(...bytes.subarray(ts.valueOffset, ts.valueOffset + ts.length))
    .replace(/\0/g, '')
    .trim();
}

export interface DicomLayout {
  /** Every element header found, in file order. */
  readonly elements: ElementHeader[];
  /** Encoding of the data set (undefined when deflated: only the meta was walked). */
  readonly encoding: DicomEncoding | undefined;
  /** Offset where the data set starts (after the meta). */
  readonly dataSetOffset: number;
}

/** Walks at most `limit` element headers of DICOM bytes. */
export function walkDicom(bytes: Uint8Array, limit = 20000): DicomLayout {
  const w: Walk = {
    bytes,
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.length),
    out: [],
    limit,
  };
  let start = 0;
  let encoding: DicomEncoding | undefined;
  if (hasPart10Prefix(bytes)) {
    const metaEnd = walkRange(
      w,
      132,
      bytes.length,
      { explicit: true, littleEndian: true },
      0,
      true,
    );
    encoding = encodingOf(transferSyntaxOfMeta(bytes, w.out));
    start = metaEnd;
  } else {
    const explicit = isVr(bytes[4], bytes[5]);
    const littleEndian = !(bytes[0] === 0 && bytes[1] === 0x08);
    encoding = { explicit, littleEndian };
  }
  if (encoding) walkRange(w, start, bytes.length, encoding, 0, false);
  return { elements: w.out, encoding, dataSetOffset: start };
}
