/**
 * Parses DICOM bytes into a dicom-parser `DataSet`: Part 10 files (preamble + `DICM` + meta),
 * meta-less files (implicit or explicit VR, little or big endian, guessed from the first tag),
 * deflated explicit VR little endian (inflated with fflate) and explicit VR big endian.
 * Whatever goes wrong (dicom-parser throws strings, wrapped objects or Errors) becomes a
 * `FormatError` with a one-line message: "not a DICOM file …" or "truncated DICOM: …".
 */
import { inflateSync } from 'fflate';
import * as dicomParserImport from 'dicom-parser';
import type { DataSet, ParseDicomOptions } from 'dicom-parser';
import { FormatError } from '../../core/errors.js';

export type { DataSet, Element, Fragment } from 'dicom-parser';

type DicomParserModule = typeof import('dicom-parser');

/**
 * dicom-parser is a UMD bundle: Node's ESM loader gives its exports as `default` only, a bundler
 * as both; taking `default` when present makes the named exports reliable in both (no
 * `require`, so this runs in a browser unchanged).
 */
export const dicomParser = ((dicomParserImport as { default?: DicomParserModule }).default ??
  dicomParserImport) as DicomParserModule;

export const TS_IMPLICIT_LE = '1.2.840.10008.1.2';
export const TS_EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const TS_DEFLATED_LE = '1.2.840.10008.1.2.1.99';
export const TS_EXPLICIT_BE = '1.2.840.10008.1.2.2';

const KNOWN_VRS = new Set(
  'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(
    ' ',
  ),
);

export interface ParseDicomOptionsLite {
  /** Stop parsing after this tag (dicom-parser form, e.g. 'x7fe00010'); header-only reads. */
  untilTag?: string;
}

function hasPart10Prefix(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 132 &&
    bytes[128] === 0x44 && // D
    bytes[129] === 0x49 && // I
    bytes[130] === 0x43 && // C
    bytes[131] === 0x4d // M
  );
}

function isVrAt(bytes: Uint8Array, offset: number): boolean {
  if (bytes.length < offset + 2) return false;
  return KNOWN_VRS.has(String.fromCharCode(bytes[offset] ?? 0, bytes[offset + 1] ?? 0));
}

/**
 * Guesses the transfer syntax of a file without Part 10 meta from its first tag, or returns
 * undefined when the first bytes do not look like a DICOM data set (group 0002 or 0008).
 */
function guessMetalessTransferSyntax(bytes: Uint8Array): string | undefined {
  if (bytes.length < 8) return undefined;
  const b0 = bytes[0] ?? 0;
  const b1 = bytes[1] ?? 0;
  const groupLe = b0 | (b1 << 8);
  const groupBe = (b0 << 8) | b1;
  const elementLe = (bytes[2] ?? 0) | ((bytes[3] ?? 0) << 8);
  const elementBe = ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0);
  const explicit = isVrAt(bytes, 4);
  if ((groupLe === 0x0002 || groupLe === 0x0008) && elementLe < 0x0100) {
    if (explicit) return TS_EXPLICIT_LE;
    const length = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true);
    return length <= bytes.length ? TS_IMPLICIT_LE : undefined;
  }
  if (groupBe === 0x0008 && elementBe < 0x0100 && explicit) return TS_EXPLICIT_BE;
  return undefined;
}

/** Cheap check: `DICM` at byte 128, or a plausible group 0002/0008 tag at byte 0. */
export function looksLikeDicom(bytes: Uint8Array): boolean {
  return hasPart10Prefix(bytes) || guessMetalessTransferSyntax(bytes) !== undefined;
}

/** fflate inflater in the form dicom-parser expects: header bytes kept, the rest inflated. */
function inflater(byteArray: Uint8Array, position: number): Uint8Array {
  let inflated: Uint8Array;
  try {
    inflated = inflateSync(byteArray.subarray(position));
  } catch (e) {
    throw new FormatError(
      `truncated DICOM: deflated data set cannot be inflated (${messageOf(e)})`,
    );
  }
  const full = new Uint8Array(position + inflated.length);
  full.set(byteArray.subarray(0, position), 0);
  full.set(inflated, position);
  return full;
}

/** dicom-parser throws strings, `{ exception, dataSet }` wrappers or Errors: get one line of text. */
function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  if (e !== null && typeof e === 'object' && 'exception' in e) return messageOf(e.exception);
  return String(e);
}

const TRUNCATION_HINTS =
  /overrun|overread|beyond|eof|end of (buffer|file)|maxPosition|out of range/i;

function toFormatError(e: unknown): FormatError {
  if (e instanceof FormatError) return e;
  const msg =
    messageOf(e)
      .replace(/^dicomParser[.:]\w*:?\s*/, '')
      .split('\n')[0] ?? '';
  if (TRUNCATION_HINTS.test(msg) || e instanceof RangeError)
    return new FormatError(`truncated DICOM: ${msg}`);
  return new FormatError(`not a DICOM file (${msg})`);
}

/** Throws when a top-level element claims more bytes than the file holds. */
function checkComplete(dataSet: DataSet): void {
  const size = dataSet.byteArray.length;
  for (const el of Object.values(dataSet.elements)) {
    if (el.dataOffset === undefined || el.length === undefined || el.length < 0) continue;
    if (el.hadUndefinedLength) continue;
    if (el.dataOffset + el.length > size) {
      throw new FormatError(
        `truncated DICOM: element ${el.tag} needs ${el.dataOffset + el.length} bytes, file has ${size}`,
      );
    }
  }
}

/**
 * Parses DICOM bytes. Throws `FormatError` for a non-DICOM or truncated file.
 * The returned data set's `byteArray` is the inflated stream for deflated files.
 */
export function parseDicom(bytes: Uint8Array, options: ParseDicomOptionsLite = {}): DataSet {
  const parserOptions: ParseDicomOptions = { inflater };
  if (options.untilTag !== undefined) parserOptions.untilTag = options.untilTag;
  if (!hasPart10Prefix(bytes)) {
    const ts = guessMetalessTransferSyntax(bytes);
    if (ts === undefined)
      throw new FormatError('not a DICOM file (no DICM prefix and no DICOM tag at the start)');
    parserOptions.TransferSyntaxUID = ts;
  }
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes, parserOptions);
  } catch (e) {
    throw toFormatError(e);
  }
  if (options.untilTag === undefined) checkComplete(dataSet);
  return dataSet;
}

/** The transfer syntax UID of a parsed data set (meta-less files: the one guessed at parse). */
export function transferSyntaxOf(dataSet: DataSet): string {
  return (dataSet.string('x00020010') ?? TS_IMPLICIT_LE).replace(/\0/g, '').trim();
}
