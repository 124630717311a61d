/**
 * The plan of case `index` of a run: a file kind (uniform over the kinds the seeds offer), a
 * mutation that applies to it, and a seed file, all drawn from a random stream fixed by the run
 * seed and the index alone, so that any case can be replayed by itself.
 */
import { createRng, hashString } from '../core/random.js';
import type { CasePlan, FileKind, MutationName, SeedFile } from './fuzz-types.js';

const BYTES: readonly MutationName[] = ['byte-flip', 'truncate', 'empty', 'random-bytes'];
const DICOM: readonly MutationName[] = [
  ...BYTES,
  'dicom-length',
  'dicom-vr',
  'dicom-field-extreme',
  'dicom-field-extreme',
  'dicom-nested-sq',
  'dicom-value-flip',
  'dicom-value-flip',
];

export function isDicomKind(kind: FileKind): boolean {
  return kind.startsWith('dicom-');
}

/** The mutations of a kind; a name listed twice is drawn twice as often. */
export function mutationsOf(kind: FileKind): readonly MutationName[] {
  if (isDicomKind(kind)) return DICOM;
  switch (kind) {
    case 'nifti':
      return [...BYTES, 'nifti-field-extreme', 'nifti-field-extreme'];
    case 'nifti-gz':
      return [...BYTES, 'nifti-field-extreme', 'nifti-field-extreme', 'gzip-bomb'];
    case 'bval':
      return [...BYTES, 'bval-values', 'bval-values'];
    case 'zip':
      return [...BYTES, 'zip-bomb', 'zip-crc', 'zip-entry', 'zip-entry'];
    case 'folder':
      return ['folder-one-bad', 'folder-mixed'];
    default:
      return BYTES;
  }
}

/** The kinds a run covers: those of the seeds, plus zip and folder (made from DICOM seeds). */
export function kindsOf(seeds: readonly SeedFile[]): FileKind[] {
  const kinds = new Set(seeds.map((s) => s.kind));
  if (seeds.some((s) => isDicomKind(s.kind))) {
    kinds.add('zip');
    kinds.add('folder');
  }
  return [...kinds].sort();
}

/** Seeds a case of `kind` may start from. */
export function seedsFor(kind: FileKind, seeds: readonly SeedFile[]): number[] {
  // Zips and folders are made from DICOM seeds (the data holds no zip).
  if (kind === 'zip' || kind === 'folder')
    return seeds.flatMap((s, n) => (isDicomKind(s.kind) ? [n] : []));
  return seeds.flatMap((s, n) => (s.kind === kind ? [n] : []));
}

export function caseSeedOf(runSeed: number, index: number): number {
  return hashString(`neurotriage-fuzz:${runSeed}:${index}`);
}

export function planCase(seeds: readonly SeedFile[], runSeed: number, index: number): CasePlan {
  const caseSeed = caseSeedOf(runSeed, index);
  const rng = createRng(caseSeed).fork('plan');
  const kinds = kindsOf(seeds);
  if (kinds.length === 0) throw new Error('no seed files to fuzz');
  const kind = rng.pick(kinds);
  const mutation = rng.pick(mutationsOf(kind));
  // A folder first, then a file in it: folders with many small files do not crowd out the rest.
  const candidates = seedsFor(kind, seeds);
  const folder = rng.pick([...new Set(candidates.map((n) => seeds[n]!.folder))].sort());
  const seedIndex = rng.pick(candidates.filter((n) => seeds[n]!.folder === folder));
  return { index, kind, mutation, seedIndex, caseSeed };
}
