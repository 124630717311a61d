/**
 * The central directory of a zip archive: every entry's name, CRC-32 and declared sizes, read
 * before anything is inflated, so that a bomb is refused from its declared sizes at once and
 * every inflated entry can be checked against its CRC and size (fflate's streaming Unzip checks
 * neither). ZIP64 sizes and offsets are read from their extra field. Pure; no Node modules.
 */
import { UserInputError } from '../core/errors.js';

export interface ZipDirectoryEntry {
  readonly name: string;
  readonly crc32: number;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const MAX32 = 0xffffffff;

/** Reads the central directory; a zip without a readable one is refused as corrupt. */
export function readZipDirectory(zip: Uint8Array): ZipDirectoryEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = findEocd(view);
  if (eocd < 0) throw corrupt('no end-of-central-directory record (truncated?)');
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if (offset === MAX32 || count === 0xffff) {
    const locator = eocd - 20;
    if (locator < 0 || view.getUint32(locator, true) !== EOCD64_LOCATOR)
      throw corrupt('ZIP64 sizes without a ZIP64 locator');
    const at = safe(view.getBigUint64(locator + 8, true));
    if (at + 56 > zip.length || view.getUint32(at, true) !== EOCD64)
      throw corrupt('ZIP64 end record missing');
    count = safe(view.getBigUint64(at + 32, true));
    offset = safe(view.getBigUint64(at + 48, true));
  }
  const entries: ZipDirectoryEntry[] = [];
  let p = offset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > zip.length || view.getUint32(p, true) !== CENTRAL)
      throw corrupt(`central directory entry ${n + 1} of ${count} is missing`);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > zip.length) throw corrupt(`central directory entry ${n + 1} is truncated`);
    const name = new TextDecoder().decode(zip.subarray(p + 46, p + 46 + nameLength));
    let compressedBytes = view.getUint32(p + 20, true);
    let uncompressedBytes = view.getUint32(p + 24, true);
    // ZIP64 extra field: the 64-bit values, in order, of the fields that hold 0xFFFFFFFF.
    for (let e = p + 46 + nameLength; e + 4 <= p + 46 + nameLength + extraLength;) {
      const id = view.getUint16(e, true);
      const size = view.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressedBytes === MAX32 && q + 8 <= e + 4 + size) {
          uncompressedBytes = safe(view.getBigUint64(q, true));
          q += 8;
        }
        if (compressedBytes === MAX32 && q + 8 <= e + 4 + size)
          compressedBytes = safe(view.getBigUint64(q, true));
      }
      e += 4 + size;
    }
    entries.push({ name, crc32: view.getUint32(p + 16, true), compressedBytes, uncompressedBytes });
    p = end;
  }
  return entries;
}

function findEocd(view: DataView): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the end of the file.
  const last = view.byteLength - 22;
  for (let p = last; p >= 0 && p >= last - 0xffff; p--)
    if (view.getUint32(p, true) === EOCD) return p;
  return -1;
}

function safe(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt('a ZIP64 size beyond 2^53');
  return Number(v);
}

function corrupt(what: string): UserInputError {
  return new UserInputError(`zip archive is corrupt: ${what}: refused`, 'zip-refused');
}
