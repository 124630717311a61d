/**
 * Turns a case plan into its mutant input: the seed's bytes mutated as the plan says, as one
 * file, files read together (a NIfTI with its `.bval`) or a folder (DICOM slices, one bad, or a
 * mix of formats). Pure given the seed bytes: the same plan gives the same bytes everywhere.
 */
import { zipSync } from 'fflate';
import { createRng, type Rng } from '../core/random.js';
import { gzipNiftiBomb, niftiHeaderBytes, zipBomb } from './bombs.js';
import { flipBytes, randomBytes, truncate } from './byte-mutations.js';
import { isDicomKind } from './case-plan.js';
import { corruptLength, corruptVr, fieldExtreme, nestedSq, valueFlip } from './dicom-mutations.js';
import type { CasePlan, Mutant, MutantFile, MutationName, SeedFile } from './fuzz-types.js';
import { niftiFieldExtreme } from './nifti-mutations.js';
import { crc32, writeZip } from './zip-bytes.js';

export interface MutantSources {
  readonly seeds: readonly SeedFile[];
  /** The bytes of seed `n` (cached by the caller). */
  readonly bytesOf: (n: number) => Uint8Array;
}

type Mutated = { bytes: Uint8Array; detail: string };

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** A DICOM-ish name for a seed inside a mutant (keeps .nii/.nii.gz/.bval endings). */
function fileName(seed: SeedFile): string {
  const name = baseName(seed.relativePath);
  return isDicomKind(seed.kind) && !name.includes('.') ? `${name}.dcm` : name;
}

function byteMutation(mutation: MutationName, bytes: Uint8Array, rng: Rng): Mutated | undefined {
  switch (mutation) {
    case 'byte-flip':
      return flipBytes(bytes, rng);
    case 'truncate':
      return truncate(bytes, rng);
    case 'empty':
      return { bytes: new Uint8Array(0), detail: 'empty file' };
    case 'random-bytes':
      return randomBytes(bytes, rng);
    default:
      return undefined;
  }
}

const DICOM_MUTATIONS = [
  'dicom-length',
  'dicom-vr',
  'dicom-field-extreme',
  'dicom-nested-sq',
] as const;

function dicomMutation(mutation: MutationName, bytes: Uint8Array, rng: Rng): Mutated {
  switch (mutation) {
    case 'dicom-length':
      return corruptLength(bytes, rng);
    case 'dicom-vr':
      return corruptVr(bytes, rng);
    case 'dicom-field-extreme':
      return fieldExtreme(bytes, rng);
    case 'dicom-nested-sq':
      return nestedSq(bytes, rng);
    case 'dicom-value-flip':
      return valueFlip(bytes, rng);
    default:
      return byteMutation(mutation, bytes, rng) ?? { bytes, detail: 'unchanged' };
  }
}

/** Any DICOM mutation, drawn. */
function anyDicomMutation(bytes: Uint8Array, rng: Rng): Mutated {
  const which = rng.pick([...DICOM_MUTATIONS, 'byte-flip', 'truncate'] as const);
  const out = dicomMutation(which, bytes, rng);
  return { bytes: out.bytes, detail: `${which}: ${out.detail}` };
}

const BVAL_VALUES = ['NaN', '-1', '1e309', '', 'abc', '1e20', '-0', '0x10', '1,000', 'Infinity'];

function bvalValues(text: string, rng: Rng): Mutated {
  const values = text.trim().split(/\s+/);
  const variant = rng.int(0, 3);
  if (variant === 0) values[rng.int(0, values.length - 1)] = rng.pick(BVAL_VALUES);
  else if (variant === 1) values.push('0');
  else if (variant === 2) values.pop();
  else
    return {
      bytes: new TextEncoder().encode(Array(10000).fill('1000').join(' ')),
      detail: '.bval of 10000 values',
    };
  const out = values.join(rng.pick([' ', '\t', '\n', ',']));
  return { bytes: new TextEncoder().encode(out), detail: `.bval "${out.slice(0, 60)}"` };
}

/** A tiny 4-D NIfTI with as many volumes as the seed `.bval` has values. */
function niftiForBval(bvalText: string): Uint8Array {
  const volumes = Math.max(1, bvalText.trim().split(/\s+/).length);
  const header = niftiHeaderBytes([2, 2, 2, volumes], 2, 8);
  const out = new Uint8Array(header.length + 8 * volumes);
  out.set(header);
  return out;
}

function siblings(sources: MutantSources, seedIndex: number): number[] {
  const folder = sources.seeds[seedIndex]!.folder;
  return sources.seeds.flatMap((s, n) => (s.folder === folder && isDicomKind(s.kind) ? [n] : []));
}

function zipMutant(
  mutation: MutationName,
  sources: MutantSources,
  seedIndex: number,
  rng: Rng,
): Mutant {
  if (mutation === 'zip-bomb') {
    const bomb = zipBomb(rng);
    return { layout: 'file', files: [bomb], detail: bomb.detail };
  }
  const members = siblings(sources, seedIndex).slice(0, 3);
  const entries: Record<string, Uint8Array> = {};
  for (const n of members) entries[`series/${fileName(sources.seeds[n]!)}`] = sources.bytesOf(n);
  if (mutation === 'zip-crc') {
    const stored = rng.chance(0.5);
    const specs = Object.entries(entries).map(([name, data], k) => ({
      name,
      data,
      method: 0 as const,
      crc32: k === 0 || stored ? crc32(data) ^ 0x5a5a5a5a : crc32(data),
      uncompressedBytes: data.length,
    }));
    return {
      layout: 'file',
      files: [{ name: 'input.zip', bytes: writeZip(specs) }],
      detail: 'zip with a wrong CRC',
    };
  }
  let detail = 'zip of the seed series';
  if (mutation === 'zip-entry') {
    const name = rng.pick(Object.keys(entries));
    const out = anyDicomMutation(entries[name]!, rng);
    entries[name] = out.bytes;
    detail = `zip entry ${name}: ${out.detail}`;
  }
  const zip = zipSync(entries, { level: 1 });
  const outer = byteMutation(mutation, zip, rng);
  return {
    layout: 'file',
    files: [{ name: 'input.zip', bytes: outer?.bytes ?? zip }],
    detail: outer?.detail ?? detail,
  };
}

function folderMutant(
  mutation: MutationName,
  sources: MutantSources,
  seedIndex: number,
  rng: Rng,
): Mutant {
  const members = siblings(sources, seedIndex);
  const files: MutantFile[] = members.map((n) => ({
    name: fileName(sources.seeds[n]!),
    bytes: sources.bytesOf(n),
  }));
  const victim = rng.int(0, files.length - 1);
  const bad = anyDicomMutation(files[victim]!.bytes, rng);
  files.push({ name: `bad-${files[victim]!.name}`, bytes: bad.bytes });
  if (mutation === 'folder-one-bad')
    return { layout: 'folder', files, detail: `one bad slice: ${bad.detail}` };
  const innerZip = zipSync(
    { 'inner.dcm': anyDicomMutation(files[0]!.bytes, rng).bytes },
    { level: 1 },
  );
  files.push(
    { name: 'notes.txt', bytes: new TextEncoder().encode('not an image\n') },
    { name: 'orphan.bval', bytes: new TextEncoder().encode('0 1000\n') },
    {
      name: 'broken.nii.gz',
      bytes: rng.chance(0.5) ? new Uint8Array([0x1f, 0x8b, 8, 0]) : new Uint8Array(0),
    },
    { name: 'sub/inner.zip', bytes: innerZip },
    { name: 'sub/empty.dcm', bytes: new Uint8Array(0) },
  );
  return { layout: 'folder', files, detail: `mixed folder with a bad slice: ${bad.detail}` };
}

export function makeMutant(plan: CasePlan, sources: MutantSources): Mutant {
  const rng = createRng(plan.caseSeed).fork('mutant');
  const { kind, mutation, seedIndex } = plan;
  if (kind === 'zip') return zipMutant(mutation, sources, seedIndex, rng);
  if (kind === 'folder') return folderMutant(mutation, sources, seedIndex, rng);
  const seed = sources.seeds[seedIndex]!;
  const bytes = sources.bytesOf(seedIndex);
  const name = fileName(seed);
  if (kind === 'bval') {
    const text = new TextDecoder().decode(bytes);
    const out =
      mutation === 'bval-values'
        ? bvalValues(text, rng)
        : (byteMutation(mutation, bytes, rng) ?? { bytes, detail: '' });
    const stem = name.replace(/\.bval$/i, '');
    return {
      layout: 'files',
      files: [
        { name: `${stem}.nii`, bytes: niftiForBval(text) },
        { name, bytes: out.bytes },
      ],
      detail: out.detail,
    };
  }
  if (mutation === 'gzip-bomb') {
    const bomb = gzipNiftiBomb(rng);
    return { layout: 'file', files: [bomb], detail: bomb.detail };
  }
  if (mutation === 'nifti-field-extreme') {
    const out = niftiFieldExtreme(bytes, rng, kind === 'nifti-gz');
    return { layout: 'file', files: [{ name, bytes: out.bytes }], detail: out.detail };
  }
  const out = isDicomKind(kind)
    ? dicomMutation(mutation, bytes, rng)
    : (byteMutation(mutation, bytes, rng) ?? { bytes, detail: 'unchanged' });
  return { layout: 'file', files: [{ name, bytes: out.bytes }], detail: out.detail };
}
