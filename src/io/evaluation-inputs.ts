/**
 * Finds the cases to evaluate: truth label maps (a synth manifest, a folder holding one, a
 * folder of `<id>.nii.gz`, or of `<id>/label.nii.gz`) and, for each, its prediction in the
 * prediction folder (`<id>.nii.gz`, `<id>/labels.nii.gz`, `<id>/label.nii.gz`,
 * `<id>/prediction.nii.gz`) and the optional `<id>/report.json` of `analyze`.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserInputError } from '../core/errors.js';

export interface TruthLesionHint {
  readonly voxel: readonly [number, number, number];
  readonly region?: string;
  readonly location?: string;
}

export interface EvaluationCase {
  readonly id: string;
  readonly truthPath: string;
  readonly predictionPath?: string;
  readonly reportPath?: string;
  /** From a synth manifest: where each truth lesion is (for region-stratified detection). */
  readonly lesions?: readonly TruthLesionHint[];
  readonly site?: string;
  /** An image of the case (from a synth manifest), for overlays in reports. */
  readonly imagePath?: string;
}

const PREDICTION_NAMES = (id: string) => [
  `${id}.nii.gz`,
  `${id}.nii`,
  join(id, 'labels.nii.gz'),
  join(id, 'label.nii.gz'),
  join(id, 'prediction.nii.gz'),
  join(id, 'segmentation.nii.gz'),
];

interface ManifestLine {
  id?: string;
  site?: string;
  files?: { label?: string; ct?: string; dwi?: string };
  lesions?: TruthLesionHint[];
}

type TruthEntry = Omit<EvaluationCase, 'predictionPath' | 'reportPath'>;

function fromManifest(path: string): TruthEntry[] {
  const base = dirname(path);
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l, n) => {
      let line: ManifestLine;
      try {
        line = JSON.parse(l) as ManifestLine;
      } catch {
        throw new UserInputError(`${path}: line ${n + 1} is not JSON`);
      }
      if (!line.id || !line.files?.label)
        throw new UserInputError(`${path}: line ${n + 1} has no id or files.label`);
      const image = line.files.ct ?? line.files.dwi;
      return {
        id: line.id,
        truthPath: join(base, line.files.label),
        lesions: line.lesions,
        site: line.site,
        imagePath: image ? join(base, image) : undefined,
      };
    });
}

function fromFolder(dir: string): TruthEntry[] {
  const out: TruthEntry[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      const label = ['label.nii.gz', 'labels.nii.gz', 'label.nii']
        .map((f) => join(full, f))
        .find(existsSync);
      if (label) out.push({ id: name, truthPath: label });
    } else if (/\.nii(\.gz)?$/i.test(name))
      out.push({ id: name.replace(/\.nii(\.gz)?$/i, ''), truthPath: full });
  }
  return out;
}

export function listEvaluationCases(options: {
  truth: string;
  prediction: string;
}): EvaluationCase[] {
  const { truth, prediction } = options;
  if (!existsSync(truth)) throw new UserInputError(`truth not found: ${truth}`, 'not-found');
  if (!existsSync(prediction) || !statSync(prediction).isDirectory())
    throw new UserInputError(`prediction folder not found: ${prediction}`, 'not-found');
  const isDir = statSync(truth).isDirectory();
  const manifest = isDir ? join(truth, 'manifest.jsonl') : truth;
  const truths = !isDir || existsSync(manifest) ? fromManifest(manifest) : fromFolder(truth);
  if (truths.length === 0)
    throw new UserInputError(
      `no truth label maps in ${truth} (expected manifest.jsonl, <id>.nii.gz or <id>/label.nii.gz)`,
    );
  return truths.map((t) => {
    const predictionPath = PREDICTION_NAMES(t.id)
      .map((n) => join(prediction, n))
      .find((p) => existsSync(p));
    const report = join(prediction, t.id, 'report.json');
    return {
      ...t,
      predictionPath,
      reportPath: existsSync(report) ? report : undefined,
    };
  });
}

/**
 * The triage score, decision and state from an `analyze` report.json, when present and
 * readable; a report before version 3 has no state (then `positive` says it).
 */
export function readTriage(reportPath: string | undefined): {
  score?: number;
  positive?: boolean;
  state?: 'positive' | 'negative' | 'not assessable';
} {
  if (!reportPath) return {};
  try {
    const r = JSON.parse(readFileSync(reportPath, 'utf8')) as {
      triage?: { score?: unknown; positive?: unknown; state?: unknown };
    };
    const state = r.triage?.state;
    return {
      score: typeof r.triage?.score === 'number' ? r.triage.score : undefined,
      positive: typeof r.triage?.positive === 'boolean' ? r.triage.positive : undefined,
      state:
        state === 'positive' || state === 'negative' || state === 'not assessable'
          ? state
          : undefined,
    };
  } catch {
    throw new UserInputError(`${basename(dirname(reportPath))}/report.json is not valid JSON`);
  }
}
