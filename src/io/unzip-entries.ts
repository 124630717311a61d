/**
 * Inflates every file entry of a zip archive with hard limits. The central directory is read
 * first (zip-directory.ts), so an entry that declares more than the per-entry or total limit, or
 * a compression ratio over the limit, is refused before a byte is inflated; while inflating,
 * an entry that produces more than it declared is stopped there; at the end each entry's size
 * and CRC-32 must match the directory's. Pure (fflate); no Node modules.
 */
import { Unzip, UnzipInflate } from 'fflate';
import { UserInputError } from '../core/errors.js';
import { crc32 } from './crc32.js';
import { type ZipDirectoryEntry, readZipDirectory } from './zip-directory.js';

export interface ZipLimits {
  /** Refuse inputs that inflate/read to more than this many bytes (default 4 GiB). */
  readonly maxTotalBytes?: number;
  /** Refuse a zip entry whose inflated size exceeds this (default 1 GiB). */
  readonly maxEntryBytes?: number;
  /** Refuse a zip entry that inflates more than this many times its compressed size (default 200). */
  readonly maxCompressionRatio?: number;
}

export interface ZipEntryFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

const GiB = 1024 ** 3;
/** Below this inflated size the compression ratio is not checked (small files compress well). */
const RATIO_FLOOR_BYTES = 1024 * 1024;

export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4
  );
}

const skipName = (name: string): boolean =>
  name.endsWith('/') || (name.split('/').pop() ?? '').startsWith('.');

/** Every file entry of `zip`, names prefixed with `prefix/` (a zip inside a folder). */
export function unzipEntries(
  zip: Uint8Array,
  options: ZipLimits = {},
  prefix = '',
): ZipEntryFile[] {
  const limits = {
    maxTotal: options.maxTotalBytes ?? 4 * GiB,
    maxEntry: options.maxEntryBytes ?? GiB,
    maxRatio: options.maxCompressionRatio ?? 200,
  };
  const directory = readZipDirectory(zip);
  checkDeclared(directory, limits);
  const declared = new Map(directory.map((d) => [d.name, d]));
  const files: ZipEntryFile[] = [];
  let total = 0;
  let failure: string | undefined;
  const unzip = new Unzip((entry) => {
    if (skipName(entry.name)) return;
    const expected = declared.get(entry.name);
    if (!expected) {
      failure = `zip archive is corrupt: entry ${entry.name} is not in its central directory`;
      return;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    let crc = 0;
    entry.ondata = (err, chunk, final) => {
      if (failure) return;
      if (err) failure = `zip entry ${entry.name} is corrupt: ${err.message}`;
      else {
        size += chunk.length;
        total += chunk.length;
        failure = overLimit(entry.name, { size, total, expected }, limits);
      }
      if (failure) {
        entry.terminate();
        return;
      }
      crc = crc32(chunk, crc);
      chunks.push(chunk);
      if (!final) return;
      if (size !== expected.uncompressedBytes)
        failure = `zip entry ${entry.name} is corrupt: ${size} bytes inflated, ${expected.uncompressedBytes} declared`;
      else if (crc !== expected.crc32)
        failure = `zip entry ${entry.name} is corrupt: its CRC-32 does not match (damaged bytes)`;
      else
        files.push({
          name: prefix ? `${prefix}/${entry.name}` : entry.name,
          bytes: concat(chunks, size),
        });
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  try {
    // Feed in small slices so that a limit stops inflation early (fflate inflates a whole push).
    const step = 1 << 16; // deflate expands at most ~1032×: ≤ 64 MiB inflates per push
    for (let off = 0; off < zip.length && !failure; off += step)
      unzip.push(zip.subarray(off, Math.min(zip.length, off + step)), off + step >= zip.length);
  } catch (e) {
    failure ??= `zip archive is corrupt: ${e instanceof Error ? e.message : String(e)}`;
  }
  const wanted = directory.filter((d) => !skipName(d.name)).length;
  if (!failure && files.length !== wanted)
    failure = `zip archive is corrupt: ${wanted} entries listed, ${files.length} readable`;
  if (failure) throw new UserInputError(`${failure}: refused`, 'zip-refused');
  return files;
}

type Limits = { readonly maxTotal: number; readonly maxEntry: number; readonly maxRatio: number };

function checkDeclared(directory: readonly ZipDirectoryEntry[], limits: Limits): void {
  let total = 0;
  for (const d of directory) {
    total += d.uncompressedBytes;
    const failure = overLimit(d.name, { size: d.uncompressedBytes, total, expected: d }, limits);
    if (failure) throw new UserInputError(`${failure}: refused`, 'zip-refused');
  }
}

function overLimit(
  name: string,
  at: { size: number; total: number; expected: ZipDirectoryEntry },
  limits: Limits,
): string | undefined {
  const { size, total, expected } = at;
  if (size > limits.maxEntry) return `zip entry ${name} inflates past ${limits.maxEntry / GiB} GiB`;
  if (total > limits.maxTotal) return `zip inflates past ${limits.maxTotal / GiB} GiB`;
  if (size > RATIO_FLOOR_BYTES && size / Math.max(expected.compressedBytes, 1) > limits.maxRatio)
    return `zip entry ${name} inflates more than ${limits.maxRatio}× (a zip bomb?)`;
  if (size > expected.uncompressedBytes)
    return `zip entry ${name} is corrupt: it inflates past the ${expected.uncompressedBytes} bytes it declares`;
  return undefined;
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}
