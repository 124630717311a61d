/**
 * Gathers input files from a path: a folder (recursively), a zip archive, or a single file.
 * Zip entries are inflated with hard limits (total bytes, per-entry bytes, compression ratio)
 * so that a zip bomb is refused with a clear message instead of exhausting memory.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { Unzip, UnzipInflate } from 'fflate';
import { UserInputError } from '../core/errors.js';
// Node's decoder of 12-bit lossy JPEG (GDCM, via temp files) for every series read from files.
import './dicom/codecs/gdcm-jpeg.js';

export interface InputFile {
  /** Path relative to the input (or the zip entry name), for messages. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface SkippedInput {
  readonly name: string;
  readonly reason: string;
}

export interface GatheredInput {
  readonly files: InputFile[];
  /** Inputs refused with a reason (e.g. a zip bomb inside a folder); the rest is still used. */
  readonly skipped: SkippedInput[];
}

export interface GatherOptions {
  /** Refuse inputs that inflate/read to more than this many bytes (default 4 GiB). */
  readonly maxTotalBytes?: number;
  /** Refuse a zip entry whose inflated size exceeds this (default 1 GiB). */
  readonly maxEntryBytes?: number;
  /** Refuse a zip entry that inflates more than this many times its compressed size (default 200). */
  readonly maxCompressionRatio?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

const GiB = 1024 ** 3;
const SKIP_NAMES = new Set(['.DS_Store', 'Thumbs.db']);

export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4
  );
}

/**
 * Reads every file under `path`. A refused zip given directly is an error; a refused zip
 * inside a folder is skipped with its reason and the rest of the folder is used.
 */
export function gatherInputFiles(path: string, options: GatherOptions = {}): GatheredInput {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new UserInputError(`input not found: ${path}`, 'not-found');
  }
  if (stat.isDirectory()) return readFolder(path, options);
  const bytes = new Uint8Array(readFileSync(path));
  if (isZip(bytes)) return { files: unzipEntries(bytes, options), skipped: [] };
  return { files: [{ name: basename(path), bytes }, ...sidecarsOf(path)], skipped: [] };
}

/** A NIfTI file's `.bval` / `.bvec` beside it on disk (dcm2niix and FSL write them so). */
function sidecarsOf(path: string): InputFile[] {
  if (!/\.nii(\.gz)?$/i.test(path)) return [];
  const stem = path.replace(/\.nii(\.gz)?$/i, '');
  return ['.bval', '.bvec']
    .map((ext) => `${stem}${ext}`)
    .filter((p) => existsSync(p))
    .map((p) => ({ name: basename(p), bytes: new Uint8Array(readFileSync(p)) }));
}

function listFolder(root: string, dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || SKIP_NAMES.has(name)) continue;
    const full = join(dir, name);
    const s = statSync(full);
    if (s.isDirectory()) listFolder(root, full, out);
    else if (s.isFile()) out.push(full);
  }
}

function readFolder(root: string, options: GatherOptions): GatheredInput {
  const paths: string[] = [];
  listFolder(root, root, paths);
  if (paths.length === 0) throw new UserInputError(`folder is empty: ${root}`, 'empty-input');
  const maxTotal = options.maxTotalBytes ?? 4 * GiB;
  let total = 0;
  const files: InputFile[] = [];
  const skipped: SkippedInput[] = [];
  paths.forEach((p, n) => {
    total += statSync(p).size;
    if (total > maxTotal)
      throw new UserInputError(`input folder holds more than ${maxTotal / GiB} GiB: refused`);
    const bytes = new Uint8Array(readFileSync(p));
    const name = relative(root, p);
    if (!isZip(bytes)) files.push({ name, bytes });
    else
      try {
        files.push(...unzipEntries(bytes, options, name));
      } catch (e) {
        if (!(e instanceof UserInputError)) throw e;
        skipped.push({ name, reason: e.message });
      }
    options.onProgress?.(n + 1, paths.length);
  });
  return { files, skipped };
}

/** Inflates every file entry of a zip, streaming, with size limits checked as bytes arrive. */
export function unzipEntries(
  zip: Uint8Array,
  options: GatherOptions = {},
  prefix = '',
): InputFile[] {
  const maxTotal = options.maxTotalBytes ?? 4 * GiB;
  const maxEntry = options.maxEntryBytes ?? GiB;
  const maxRatio = options.maxCompressionRatio ?? 200;
  const files: InputFile[] = [];
  let total = 0;
  let failure: string | undefined;
  const unzip = new Unzip((entry) => {
    if (entry.name.endsWith('/') || basename(entry.name).startsWith('.')) return;
    const chunks: Uint8Array[] = [];
    let size = 0;
    const compressed = Math.max(entry.size ?? 0, 1);
    entry.ondata = (err, chunk, final) => {
      if (failure) return;
      if (err) {
        failure = `zip entry ${entry.name} is corrupt: ${err.message}`;
        return;
      }
      size += chunk.length;
      total += chunk.length;
      if (size > maxEntry) failure = `zip entry ${entry.name} inflates past ${maxEntry / GiB} GiB`;
      else if (total > maxTotal) failure = `zip inflates past ${maxTotal / GiB} GiB`;
      else if (size > 1024 * 1024 && size / compressed > maxRatio)
        failure = `zip entry ${entry.name} inflates more than ${maxRatio}× (a zip bomb?)`;
      if (failure) {
        entry.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) files.push({ name: join(prefix, entry.name), bytes: concat(chunks, size) });
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
  if (failure) throw new UserInputError(`${failure}: refused`, 'zip-refused');
  return files;
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
