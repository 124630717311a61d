/**
 * Gathers input files from a path: a folder (recursively), a zip archive, or a single file.
 * Only regular files are read: devices, FIFOs and sockets are refused (a single path) or skipped
 * with their reason (in a folder), as are broken symbolic links and links that loop back to a
 * folder already read. Sizes are checked before reading. Zip entries are inflated with hard
 * limits (unzip-entries.ts) so that a zip bomb is refused with a clear message.
 */
import { existsSync, lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { UserInputError } from '../core/errors.js';
import type { InputFile } from './input-file.js';
// Node's decoder of 12-bit lossy JPEG (GDCM, via temp files) for every series read from files.
import './dicom/codecs/gdcm-jpeg.js';
import { type ZipLimits, isZip, unzipEntries } from './unzip-entries.js';

export { isZip, unzipEntries } from './unzip-entries.js';

export type { InputFile } from './input-file.js';

export interface SkippedInput {
  readonly name: string;
  readonly reason: string;
}

export interface GatheredInput {
  readonly files: InputFile[];
  /** Inputs refused with a reason (e.g. a zip bomb inside a folder); the rest is still used. */
  readonly skipped: SkippedInput[];
}

export interface GatherOptions extends ZipLimits {
  readonly onProgress?: (done: number, total: number) => void;
}

const GiB = 1024 ** 3;
const SKIP_NAMES = new Set(['.DS_Store', 'Thumbs.db']);

/**
 * Reads every file under `path`. A refused zip given directly is an error; a refused zip
 * inside a folder is skipped with its reason and the rest of the folder is used.
 */
export function gatherInputFiles(path: string, options: GatherOptions = {}): GatheredInput {
  let stat;
  try {
    stat = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new UserInputError(`input is a symbolic link loop: ${path}`);
    if (code === 'EACCES')
      throw new UserInputError(`input cannot be read (permission denied): ${path}`);
    throw new UserInputError(`input not found: ${path}`, 'not-found');
  }
  if (stat.isDirectory()) return readFolder(path, options);
  if (!stat.isFile())
    throw new UserInputError(`input is not a regular file (${fileKind(stat)}): ${path}`);
  const maxTotal = options.maxTotalBytes ?? 4 * GiB;
  if (stat.size > maxTotal)
    throw new UserInputError(`input is larger than ${maxTotal / GiB} GiB: ${path}: refused`);
  const bytes = new Uint8Array(readFileSync(path));
  if (isZip(bytes)) return { files: unzipEntries(bytes, options), skipped: [] };
  return { files: [{ name: basename(path), bytes }, ...sidecarsOf(path)], skipped: [] };
}

/** What a non-regular file is, for messages. */
function fileKind(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a file';
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

interface Listing {
  readonly files: string[];
  readonly skipped: SkippedInput[];
  /** Real paths of the folders already listed: a link back to one is a loop. */
  readonly seen: Set<string>;
}

function listFolder(root: string, dir: string, out: Listing): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    out.skipped.push({ name: relative(root, dir) || '.', reason: ioReason(e) });
    return;
  }
  for (const name of names) {
    if (name.startsWith('.') || SKIP_NAMES.has(name)) continue;
    const full = join(dir, name);
    const skip = (reason: string) => out.skipped.push({ name: relative(root, full), reason });
    let s: Stats;
    try {
      // lstat first: a link is followed only after checking where it leads.
      s = lstatSync(full);
      if (s.isSymbolicLink()) s = statSync(full);
    } catch (e) {
      skip(ioReason(e));
      continue;
    }
    if (s.isDirectory()) {
      const real = realpathSync(full);
      if (out.seen.has(real)) skip('a symbolic link to a folder already read (a loop?)');
      else {
        out.seen.add(real);
        listFolder(root, full, out);
      }
    } else if (s.isFile()) out.files.push(full);
    else skip(`not a regular file (${fileKind(s)})`);
  }
}

function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'a broken symbolic link (its target does not exist)';
  if (code === 'ELOOP') return 'a symbolic link loop';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  return `cannot be read (${code ?? String(e)})`;
}

function readFolder(root: string, options: GatherOptions): GatheredInput {
  const listing: Listing = { files: [], skipped: [], seen: new Set([realpathSync(root)]) };
  listFolder(root, root, listing);
  const paths = listing.files;
  if (paths.length === 0 && listing.skipped.length === 0)
    throw new UserInputError(`folder is empty: ${root}`, 'empty-input');
  const maxTotal = options.maxTotalBytes ?? 4 * GiB;
  let total = 0;
  const files: InputFile[] = [];
  const skipped: SkippedInput[] = [...listing.skipped];
  paths.forEach((p, n) => {
    const name = relative(root, p);
    let bytes: Uint8Array;
    try {
      total += statSync(p).size;
      if (total > maxTotal)
        throw new UserInputError(`input folder holds more than ${maxTotal / GiB} GiB: refused`);
      bytes = new Uint8Array(readFileSync(p));
    } catch (e) {
      if (e instanceof UserInputError) throw e;
      skipped.push({ name, reason: ioReason(e) });
      return;
    }
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
