/**
 * The three studies whose analysis must not change when the code is reshaped (issue 18): the
 * bundled synthetic infarct example (`synth --task infarct --n 1 --seed 8`), the real ISLES'22
 * MCA example (DWI + ADC NIfTI) and the real GE head CT (DICOM, 18.5° tilt). Their reference
 * outputs live in `reference-analyses.json`, keyed by the sha256 of the model that made them,
 * and are recorded by `npm run record:references` (scripts/record-references.mjs), which runs
 * `neurotriage analyze` on each case as a user would.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './run-cli.js';
import { repoRoot, sharedDataPath } from './shared-data.js';

export interface ReferenceCase {
  readonly name: string;
  readonly task: 'ich' | 'infarct';
  /** Input paths (files or a DICOM folder) as given to `neurotriage analyze`. */
  inputs(): string[];
}

/** What is compared: labels voxel hash, volumes per label, lesion count, triage score. */
export interface ReferenceOutput {
  readonly labelsSha256: string;
  readonly volumesMl: Record<string, number>;
  readonly totalLesionMl: number;
  readonly lesionCount: number;
  readonly triageScore: number;
  readonly positive: boolean;
}

export interface ReferenceFile {
  readonly version: 1;
  /** Model sha256 (card.json) → case name → reference output. */
  readonly models: Record<
    string,
    { readonly model: string; readonly cases: Record<string, ReferenceOutput> }
  >;
}

export const RECORD_COMMAND = 'npm run record:references';

/** The synthetic example, written once under out/reference-example (git-ignored). */
function syntheticExample(): string[] {
  const dir = join(repoRoot(), 'out', 'reference-example');
  const caseDir = join(dir, 'cases', 'infarct-s8-0000');
  const files = [join(caseDir, 'dwi.nii.gz'), join(caseDir, 'adc.nii.gz')];
  if (!files.every((f) => existsSync(f))) {
    const r = runCli(['synth', '--task', 'infarct', '--n', '1', '--seed', '8', '--out', dir]);
    if (r.status !== 0) throw new Error(`synth failed: ${r.stderr}`);
  }
  return files;
}

export const REFERENCE_CASES: readonly ReferenceCase[] = [
  { name: 'synthetic-infarct-seed8', task: 'infarct', inputs: syntheticExample },
  {
    name: 'isles22-mca-example',
    task: 'infarct',
    inputs: () => [
      sharedDataPath('cases', 'isles22-mca-example', 'dwi.nii.gz'),
      sharedDataPath('cases', 'isles22-mca-example', 'adc.nii.gz'),
    ],
  },
  {
    name: 'ct-head-ge-tilt',
    task: 'ich',
    inputs: () => [sharedDataPath('dicom', 'ct-head-ge-tilt', 'dicom')],
  },
];

export function referenceFilePath(): string {
  return join(repoRoot(), 'src', 'testing', 'reference-analyses.json');
}

export function readReferences(): ReferenceFile {
  const path = referenceFilePath();
  if (!existsSync(path)) return { version: 1, models: {} };
  return JSON.parse(readFileSync(path, 'utf8')) as ReferenceFile;
}

export function writeReferences(file: ReferenceFile): void {
  writeFileSync(referenceFilePath(), `${JSON.stringify(file, null, 2)}\n`);
}

/** sha256 of label voxel bytes (uint8, native grid, i fastest). */
export function labelsSha256(labels: Uint8Array): string {
  return createHash('sha256').update(labels).digest('hex');
}

/** sha256 of a shipped model (its card's `sha256`) and its name. */
export function shippedModel(task: 'ich' | 'infarct'): { sha256: string; model: string } {
  const dir = task === 'ich' ? 'ich-ct' : 'infarct-dwi';
  const card = JSON.parse(readFileSync(join(repoRoot(), 'models', dir, 'card.json'), 'utf8')) as {
    sha256: string;
    name: string;
    version: string;
  };
  return { sha256: card.sha256, model: `${card.name} ${card.version}` };
}

/**
 * The recorded output of the shipped model on a case; throws naming the one command that
 * records it when that model has no entry (a new model was shipped).
 */
export function referenceFor(c: ReferenceCase): ReferenceOutput {
  const { sha256, model } = shippedModel(c.task);
  const entry = readReferences().models[sha256]?.cases[c.name];
  if (!entry)
    throw new Error(
      `no reference analysis of '${c.name}' for the shipped ${c.task} model ${model} (sha256 ${sha256.slice(0, 12)}…): check its outputs, then record them with \`${RECORD_COMMAND} -- --task ${c.task}\` and commit src/testing/reference-analyses.json`,
    );
  return entry;
}
