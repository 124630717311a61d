/**
 * `neurotriage evaluate` end to end: the ISLES'22 golden numbers through the CLI, missing
 * predictions, grids that differ (clear error, or --resample), multi-label reports, and a
 * self-contained HTML report.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createVolume } from '../core/volume.js';
import { writeNiftiFile } from '../io/nifti/nifti-file.js';
import { runCli } from '../testing/run-cli.js';
import { sharedDataPath } from '../testing/shared-data.js';

const root = mkdtempSync(join(tmpdir(), 'nt-eval-'));
after(() => rmSync(root, { recursive: true, force: true }));

interface Expected {
  groundTruth: string;
  prediction: string;
  expected: Record<string, number>;
}

function isles(name: string) {
  return sharedDataPath('metrics', 'isles22', name);
}

function evaluate(args: string[]) {
  return runCli(['evaluate', ...args]);
}

describe("evaluate: ISLES'22 golden numbers through the CLI", () => {
  const fixtures = JSON.parse(readFileSync(isles('expected.json'), 'utf8')) as Expected[];
  const truth = join(root, 'isles-truth');
  const pred = join(root, 'isles-pred');
  fixtures.forEach((f, n) => {
    mkdirSync(truth, { recursive: true });
    mkdirSync(join(pred, `case${n}`), { recursive: true });
    copyFileSync(isles(f.groundTruth), join(truth, `case${n}.nii.gz`));
    copyFileSync(isles(f.prediction), join(pred, `case${n}`, 'labels.nii.gz'));
  });

  it('reproduces expected.json for every pair, and lists the cases', () => {
    const r = evaluate(['--truth', truth, '--pred', pred, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      cases: { id: string; metrics: Record<string, number> }[];
      notice: string;
    };
    assert.match(out.notice, /not a medical device/);
    fixtures.forEach((f, n) => {
      const m = out.cases.find((c) => c.id === `case${n}`)!.metrics;
      const e = f.expected;
      const pairs: [string, string][] = [
        ['dice', 'dice'],
        ['absVolumeDiffMl', 'abs_volume_diff_ml'],
        ['absLesionCountDiff', 'abs_lesion_count_diff'],
        ['lesionF1', 'lesion_f1'],
      ];
      for (const [ours, theirs] of pairs)
        assert.ok(
          Math.abs(m[ours]! - e[theirs]!) <= 1.5e-6,
          `case${n} ${ours}: ${m[ours]} vs ${e[theirs]}`,
        );
    });
  });

  it('writes a self-contained HTML report with plots and overlays', () => {
    const html = join(root, 'report.html');
    const r = evaluate(['--truth', truth, '--pred', pred, '--html', html]);
    assert.equal(r.status, 0, r.stderr);
    const text = readFileSync(html, 'utf8');
    assert.match(text, /<svg/);
    assert.match(text, /data:image\/png;base64,/);
    assert.match(text, /not a medical device/i);
    assert.doesNotMatch(text, /(src|href)="https?:/);
    assert.doesNotMatch(text, /<script/);
  });
});

describe('evaluate: bad and partial input', () => {
  const grid = {
    shape: [10, 10, 4] as const,
    spacingMm: [1, 1, 2] as const,
    originMm: [0, 0, 0] as const,
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as const,
  };
  const truthDir = join(root, 'small-truth');
  const predDir = join(root, 'small-pred');
  mkdirSync(truthDir, { recursive: true });
  mkdirSync(predDir, { recursive: true });
  const blob = (label: number) => {
    const d = new Uint8Array(400);
    for (let k = 1; k < 3; k++)
      for (let j = 3; j < 6; j++) for (let i = 3; i < 6; i++) d[i + 10 * (j + 10 * k)] = label;
    return d;
  };
  writeNiftiFile(join(truthDir, 'a.nii.gz'), createVolume(grid, blob(1)));
  writeNiftiFile(join(truthDir, 'b.nii.gz'), createVolume(grid, blob(1)));
  writeNiftiFile(join(predDir, 'a.nii.gz'), createVolume(grid, blob(1)));

  it('a case with no prediction counts as empty and is listed', () => {
    const r = evaluate(['--truth', truthDir, '--pred', predDir, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      notes: string[];
      cases: { id: string; missingPrediction: boolean; metrics: { dice: number } }[];
    };
    const b = out.cases.find((c) => c.id === 'b')!;
    assert.equal(b.missingPrediction, true);
    assert.equal(b.metrics.dice, 0);
    assert.match(out.notes.join(' '), /no prediction.*: b/);
  });

  it('a prediction on another grid is a clear error, or resampled with --resample', () => {
    const other = join(root, 'other-pred');
    mkdirSync(other, { recursive: true });
    // Same region at half the slice spacing: 8 slices of 1 mm.
    const fine = {
      ...grid,
      shape: [10, 10, 8] as const,
      spacingMm: [1, 1, 1] as const,
      originMm: [0, 0, -0.5] as const,
    };
    const d = new Uint8Array(800);
    for (let k = 2; k < 6; k++)
      for (let j = 3; j < 6; j++) for (let i = 3; i < 6; i++) d[i + 10 * (j + 10 * k)] = 1;
    writeNiftiFile(join(other, 'a.nii.gz'), createVolume(fine, d));
    writeNiftiFile(join(other, 'b.nii.gz'), createVolume(fine, d));
    const refused = evaluate(['--truth', truthDir, '--pred', other]);
    assert.equal(refused.status, 2);
    assert.match(
      refused.stderr,
      /^neurotriage: a: prediction grid 10×10×8 .* differs from the truth grid .*--resample/,
    );
    const ok = evaluate(['--truth', truthDir, '--pred', other, '--resample', '--json']);
    assert.equal(ok.status, 0, ok.stderr);
    const out = JSON.parse(ok.stdout) as {
      notes: string[];
      cases: { resampled: boolean; metrics: { dice: number } }[];
    };
    assert.ok(out.cases.every((c) => c.resampled));
    assert.equal(out.cases[0]!.metrics.dice, 1);
    assert.match(out.notes.join(' '), /resampled onto the truth grid/);
  });

  it('haemorrhage label maps get per-label metrics', () => {
    const t = join(root, 'ich-truth');
    const p = join(root, 'ich-pred');
    mkdirSync(t, { recursive: true });
    mkdirSync(p, { recursive: true });
    const truth = blob(1);
    truth[0] = 4;
    const pred = blob(1);
    writeNiftiFile(join(t, 'x.nii.gz'), createVolume(grid, truth));
    writeNiftiFile(join(p, 'x.nii.gz'), createVolume(grid, pred));
    const r = evaluate(['--truth', t, '--pred', p, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      summary: { perLabel: Record<string, { dice: { mean: number } }> };
    };
    assert.equal(out.summary.perLabel.intraparenchymal!.dice.mean, 1);
    assert.equal(out.summary.perLabel.subdural!.dice.mean, 0);
  });

  interface UpdatedCard {
    operatingPoint: { threshold: number; targetSensitivity: number } | null;
    evaluation: {
      cases: number;
      patientLevel: {
        auc: number;
        targetSensitivity: { reachable: boolean; threshold: number; note?: string };
        atModelDecision: { sensitivity: { estimate: number } };
      };
    };
  }

  /** Evaluates four cases scored as given (report.json) with --update-card, target 1. */
  function updateCardWith(name: string, cases: [string, boolean, number][]): UpdatedCard {
    const t = join(root, `${name}-truth`);
    const p = join(root, `${name}-pred`);
    mkdirSync(t, { recursive: true });
    for (const [id, positive, score] of cases) {
      writeNiftiFile(
        join(t, `${id}.nii.gz`),
        createVolume(grid, positive ? blob(1) : new Uint8Array(400)),
      );
      mkdirSync(join(p, id), { recursive: true });
      writeNiftiFile(
        join(p, id, 'labels.nii.gz'),
        createVolume(grid, positive ? blob(1) : new Uint8Array(400)),
      );
      writeFileSync(
        join(p, id, 'report.json'),
        JSON.stringify({ triage: { score, positive: score >= 0.5 } }),
      );
    }
    const cardPath = join(root, `${name}-card.json`);
    const card = {
      cardVersion: 1,
      name: 'm',
      version: '0',
      task: 'infarct',
      sha256: 'a'.repeat(64),
      inputs: { channels: ['dwi', 'adc'], spacingMm: [2, 2, 2], normalisation: 'dwi-adc' },
      labels: { '1': 'infarct' },
      training: { data: { cases: { train: 1 }, sites: ['s'] }, steps: 1, seed: 1, commands: ['x'] },
      intendedUse: 'Research use only; not a medical device.',
      operatingPoint: null,
      evaluation: null,
    };
    writeFileSync(cardPath, JSON.stringify(card));
    const r = evaluate([
      '--truth', t, '--pred', p, '--update-card', cardPath, '--target-sensitivity', '1',
    ]); // prettier-ignore
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(readFileSync(cardPath, 'utf8')) as UpdatedCard;
  }

  it('--update-card writes the operating point and the metrics into a model card', () => {
    // Two positives scored 0.9 and 0.6, two negatives scored 0.7 and 0.1 (report.json).
    const updated = updateCardWith('card', [
      ['p1', true, 0.9],
      ['p2', true, 0.6],
      ['n1', false, 0.7],
      ['n2', false, 0.1],
    ]);
    // Sensitivity 1 needs both positives: threshold = the lower positive score, 0.6.
    assert.deepEqual(updated.operatingPoint, { threshold: 0.6, targetSensitivity: 1 });
    assert.equal(updated.evaluation.cases, 4);
    assert.equal(updated.evaluation.patientLevel.auc, 0.75);
    assert.equal(updated.evaluation.patientLevel.targetSensitivity.reachable, true);
  });

  it('--update-card sets no threshold that calls every case positive, and says so', () => {
    // The weaker positive (0.05) scores below both negatives: sensitivity 1 needs threshold
    // 0.05, where both negatives are positive too (specificity 0).
    const updated = updateCardWith('degenerate', [
      ['p1', true, 0.9],
      ['p2', true, 0.05],
      ['n1', false, 0.7],
      ['n2', false, 0.1],
    ]);
    assert.equal(updated.operatingPoint, null);
    const target = updated.evaluation.patientLevel.targetSensitivity;
    assert.equal(target.reachable, false);
    assert.equal(target.threshold, 0.05);
    assert.match(target.note ?? '', /every case is called positive/);
    // The model's own decision (score ≥ 0.5 here) is what the card reports instead.
    assert.equal(updated.evaluation.patientLevel.atModelDecision.sensitivity.estimate, 0.5);
  });

  it('--update-card sets no threshold on the model’s faintest output (< 0.01)', () => {
    // Sensitivity 1 needs threshold 0.0002; one negative scores below it (specificity 0.5),
    // but a decision at a probability of 0.0002 is noise, not a triage rule.
    const updated = updateCardWith('faint', [
      ['p1', true, 0.9],
      ['p2', true, 0.0002],
      ['n1', false, 0.7],
      ['n2', false, 0.0001],
    ]);
    assert.equal(updated.operatingPoint, null);
    const target = updated.evaluation.patientLevel.targetSensitivity;
    assert.equal(target.reachable, false);
    assert.equal(target.threshold, 0.0002);
    assert.match(target.note ?? '', /below 0\.01, the model's faintest output/);
  });

  it('a missing truth folder is one clear line', () => {
    const r = evaluate(['--truth', join(root, 'nope'), '--pred', predDir]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^neurotriage: truth not found/);
  });
});
