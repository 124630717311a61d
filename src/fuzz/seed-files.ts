/**
 * Seeds of the fuzz run: every file of the shared data, classified by content (DICOM by
 * transfer syntax, NIfTI, `.bval`, zip, other), and then a few of each kind per folder, the
 * smallest first, so that a run covers every kind and series cheaply.
 */
import { closeSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { looksLikeDicom } from '../io/dicom/parse-dicom.js';
import { isZip } from '../io/input-files.js';
import type { FileKind, SeedFile } from './fuzz-types.js';

export interface SeedSelectionOptions {
  /** Files of one kind taken per folder (default 2). */
  readonly perFolder?: number;
  /** Files larger than this are left out (default 2 MB), to keep cases fast and memory low. */
  readonly maxFileBytes?: number;
  /** Folders (relative to the data root) not listed (default: models and templates). */
  readonly skipFolders?: readonly string[];
}

const TRANSFER_SYNTAX_KINDS: Readonly<Record<string, FileKind>> = {
  '1.2.840.10008.1.2': 'dicom-implicit-le',
  '1.2.840.10008.1.2.1': 'dicom-explicit-le',
  '1.2.840.10008.1.2.1.99': 'dicom-deflate',
  '1.2.840.10008.1.2.2': 'dicom-explicit-be',
  '1.2.840.10008.1.2.5': 'dicom-rle',
  '1.2.840.10008.1.2.4.50': 'dicom-jpeg-baseline',
  '1.2.840.10008.1.2.4.51': 'dicom-jpeg-extended',
  '1.2.840.10008.1.2.4.57': 'dicom-jpeg-lossless',
  '1.2.840.10008.1.2.4.70': 'dicom-jpeg-lossless',
  '1.2.840.10008.1.2.4.80': 'dicom-jpeg-ls',
  '1.2.840.10008.1.2.4.81': 'dicom-jpeg-ls',
  '1.2.840.10008.1.2.4.90': 'dicom-jpeg2000',
  '1.2.840.10008.1.2.4.91': 'dicom-jpeg2000',
};

/** The transfer syntax UID in the first bytes of a Part 10 file, if it says one. */
export function transferSyntaxInPrefix(prefix: Uint8Array): string | undefined {
  for (let at = 132; at + 8 < prefix.length; at++) {
    const tag = prefix[at] === 0x02 && prefix[at + 1] === 0 && prefix[at + 2] === 0x10;
    if (!tag || prefix[at + 3] !== 0 || prefix[at + 4] !== 0x55 || prefix[at + 5] !== 0x49)
      continue;
    const length = (prefix[at + 6] ?? 0) | ((prefix[at + 7] ?? 0) << 8);
    const text = String.fromCharCode(...prefix.subarray(at + 8, at + 8 + length));
    return text.replace(/\0/g, '').trim();
  }
  return undefined;
}

/** The kind of a file from its name and first bytes. */
export function classifyFile(name: string, prefix: Uint8Array): FileKind {
  if (/\.nii\.gz$/i.test(name) && prefix[0] === 0x1f && prefix[1] === 0x8b) return 'nifti-gz';
  if (/\.nii$/i.test(name)) return 'nifti';
  if (/\.bval$/i.test(name)) return 'bval';
  if (isZip(prefix)) return 'zip';
  if (!looksLikeDicom(prefix)) return 'other';
  const ts = transferSyntaxInPrefix(prefix);
  if (ts === undefined) {
    // Meta-less: the first tag says the encoding (as parse-dicom.ts guesses it).
    const explicit = prefix.length > 5 && prefix[4]! >= 0x41 && prefix[4]! <= 0x5a;
    if (prefix[0] === 0 && prefix[1] === 0x08) return 'dicom-explicit-be';
    return explicit ? 'dicom-explicit-le' : 'dicom-implicit-le';
  }
  return TRANSFER_SYNTAX_KINDS[ts] ?? 'dicom-other';
}

function readPrefix(path: string, bytes: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const out = new Uint8Array(bytes);
    return out.subarray(0, readSync(fd, out, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

interface Listed {
  readonly relativePath: string;
  readonly folder: string;
  readonly sizeBytes: number;
}

function listFiles(root: string, folder: string, skip: ReadonlySet<string>, out: Listed[]): void {
  const names = readdirSync(join(root, folder)).sort();
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const relativePath = folder ? `${folder}/${name}` : name;
    if (skip.has(relativePath)) continue;
    const stat = statSync(join(root, relativePath));
    if (stat.isDirectory()) listFiles(root, relativePath, skip, out);
    else if (stat.isFile()) out.push({ relativePath, folder, sizeBytes: stat.size });
  }
}

/** Seeds from the data root: per folder and kind, the smallest few files. */
export function selectSeedFiles(dataRoot: string, options: SeedSelectionOptions = {}): SeedFile[] {
  const perFolder = options.perFolder ?? 2;
  const maxBytes = options.maxFileBytes ?? 2_000_000;
  const listed: Listed[] = [];
  listFiles(dataRoot, '', new Set(options.skipFolders ?? ['models', 'templates']), listed);
  const groups = new Map<string, SeedFile[]>();
  for (const file of listed) {
    if (file.sizeBytes > maxBytes) continue;
    const kind = classifyFile(
      file.relativePath,
      readPrefix(join(dataRoot, file.relativePath), 4096),
    );
    const key = `${file.folder}\0${kind}`;
    const group = groups.get(key) ?? [];
    group.push({ ...file, kind });
    groups.set(key, group);
  }
  const seeds: SeedFile[] = [];
  for (const group of groups.values())
    seeds.push(...group.sort((a, b) => a.sizeBytes - b.sizeBytes).slice(0, perFolder));
  return seeds.sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1));
}
