/**
 * `neurotriage analyze` end to end: a tiny infarct model trained with `neurotriage train`, one
 * synthetic DWI + ADC case from `neurotriage synth`, analysed as two NIfTI files; outputs on the
 * input's native grid, report tied to the model card; and the refusals a user meets.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sameGeometry } from '../core/geometry.js';
import { readNiftiFile } from '../io/nifti/nifti-file.js';
import { ReportSchema } from '../report/report-schema.js';
import { runCli } from '../testing/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'nt-analyze-'));
after(() => rmSync(root, { recursive: true, force: true }));
const modelDir = join(root, 'run', 'model');
const caseDir = join(root, 'synth', 'cases', 'infarct-s1-0000');
const dwi = join(caseDir, 'dwi.nii.gz');
const adc = join(caseDir, 'adc.nii.gz');

describe('neurotriage analyze', () => {
  before(() => {
    const config = join(root, 'tiny.json');
    writeFileSync(
      config,
      JSON.stringify({
        version: 1,
        patchSize: [16, 32, 32],
        batchSize: 1,
        steps: 4,
        baseChannels: 4,
        valInterval: 4,
        valCropSize: [16, 32, 32],
        checkpointInterval: 4,
      }),
    );
    const train = runCli([
      'train', '--task', 'infarct', '--out', join(root, 'run'),
      '--cases', '3', '--spacing', '4', '--config', config,
    ]); // prettier-ignore
    assert.equal(train.status, 0, train.stderr);
    const synth = runCli([
      'synth', '--task', 'infarct', '--n', '1', '--grid-spacing', '3',
      '--out', join(root, 'synth'),
    ]); // prettier-ignore
    assert.equal(synth.status, 0, synth.stderr);
    assert.ok(existsSync(dwi) && existsSync(adc), 'synth wrote dwi.nii.gz and adc.nii.gz');
  });

  it('writes labels and probability on the native grid of dwi.nii.gz, a report tied to the model card, and an overview', () => {
    const out = join(root, 'out');
    const r = runCli(['analyze', dwi, adc, '--model', modelDir, '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /infarct \(DWI \+ ADC\): (POSITIVE|negative|NOT ASSESSABLE)/);
    assert.match(r.stdout, /not a medical device/);

    const input = readNiftiFile(dwi).volumes[0]!;
    const labels = readNiftiFile(join(out, 'labels.nii.gz')).volumes[0]!;
    const probability = readNiftiFile(join(out, 'probability.nii.gz')).volumes[0]!;
    for (const map of [labels, probability]) {
      assert.deepEqual(map.geometry.shape, input.geometry.shape);
      assert.ok(sameGeometry(map.geometry, input.geometry), 'same affine as dwi.nii.gz');
    }
    assert.ok(
      labels.data.every((l) => l === 0 || l === 1),
      'labels are 0 or 1 (infarct)',
    );
    assert.ok(
      probability.data.every((p) => p >= 0 && p <= 1),
      'probabilities in [0, 1]',
    );

    const card = JSON.parse(readFileSync(join(modelDir, 'card.json'), 'utf8')) as {
      sha256: string;
      name: string;
    };
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      version: number;
      task: string;
      model: { sha256: string; name: string };
      volumesMl: Record<string, number>;
      lesionCount: number;
      largestLesionMl: number;
      triage: { score: number; positive: boolean };
      timingsMs: Record<string, number>;
      input: { series: string };
      notice: string;
    };
    assert.equal(report.version, 3);
    // report.json follows the committed schema (schemas/report.schema.json is generated from it).
    const parsed = ReportSchema.safeParse(report);
    assert.ok(parsed.success, parsed.error?.message);
    assert.equal(report.task, 'infarct');
    assert.match(
      parsed.data!.summary,
      /^(Acute infarct, \d+\.\d mL in \d+ lesions?|No acute infarct detected|Not assessable: )/,
    );
    assert.equal(report.model.sha256, card.sha256);
    assert.equal(report.model.name, card.name);
    assert.match(report.notice, /research use only; it is not a medical device/);
    assert.match(report.input.series, /dwi\.nii\.gz.*adc\.nii\.gz/);
    // The reported volume is the label map's: count its voxels.
    const voxelMl = input.geometry.spacingMm.reduce((a, b) => a * b, 1) / 1000;
    let labelled = 0;
    for (const l of labels.data) if (l > 0) labelled++;
    assert.ok(Math.abs(report.volumesMl.infarct! - labelled * voxelMl) < 0.01);
    assert.ok(report.largestLesionMl <= report.volumesMl.infarct! + 1e-9);
    assert.equal(report.triage.positive, report.lesionCount > 0);
    for (const stage of ['read', 'loadModel', 'prepare', 'inference', 'native', 'write', 'total'])
      assert.equal(typeof report.timingsMs[stage], 'number', stage);

    const png = readFileSync(join(out, 'overview.png'));
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  });

  it('prints the report JSON with --json', () => {
    const r = runCli([
      'analyze',
      dwi,
      adc,
      '--model',
      modelDir,
      '--out',
      join(root, 'json'),
      '--json',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const printed = JSON.parse(r.stdout) as { version: number; triage: unknown };
    assert.deepEqual(printed, JSON.parse(readFileSync(join(root, 'json', 'report.json'), 'utf8')));
  });

  it('--tta mirrors only the axes the model was trained with (left-right by default): 2 runs per window', () => {
    const runs = (extra: string[]) => {
      const out = join(root, `tta${extra.length}`);
      const r = runCli(['analyze', dwi, adc, '--model', modelDir, '--out', out, ...extra]);
      assert.equal(r.status, 0, r.stderr);
      const report = ReportSchema.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
      return { tta: report.tta, runs: report.modelGrid.runs };
    };
    const plain = runs([]);
    const tta = runs(['--tta']);
    assert.equal(plain.tta, false);
    assert.equal(tta.tta, true);
    assert.ok(plain.runs !== undefined && plain.runs > 0);
    assert.equal(tta.runs, 2 * plain.runs);
  });

  it('says there is no model for the task and how to train one', () => {
    const empty = join(root, 'empty-model');
    mkdirSync(empty, { recursive: true });
    const r = runCli(['analyze', dwi, adc, '--model', empty, '--out', join(root, 'none')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no model for task infarct in .*empty-model.*neurotriage train/);
    assert.ok(!existsSync(join(root, 'none', 'report.json')));
  });

  it('refuses a model whose file does not match its card', () => {
    const tampered = join(root, 'tampered');
    mkdirSync(tampered, { recursive: true });
    writeFileSync(join(tampered, 'card.json'), readFileSync(join(modelDir, 'card.json')));
    const bytes = readFileSync(join(modelDir, 'model.onnx'));
    bytes[bytes.length - 1]! ^= 1;
    writeFileSync(join(tampered, 'model.onnx'), bytes);
    const r = runCli(['analyze', dwi, adc, '--model', tampered, '--out', join(root, 't')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /does not match its card/);
  });

  it('refuses DWI + ADC when the haemorrhage (CT) task is asked', () => {
    const r = runCli(['analyze', dwi, adc, '--task', 'ich', '--out', join(root, 'wrong')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /task ich needs a non-contrast head CT, but no CT series was found/);
  });

  it('experiment holdout analyses a held-out set, evaluates it and writes the card', () => {
    const holdout = join(root, 'holdout');
    const synth = runCli([
      'synth',
      '--task',
      'infarct',
      '--n',
      '3',
      '--seed',
      '5',
      '--grid-spacing',
      '3',
      '--out',
      holdout,
    ]);
    assert.equal(synth.status, 0, synth.stderr);
    const model = join(root, 'holdout-model');
    mkdirSync(model, { recursive: true });
    for (const f of ['model.onnx', 'card.json'])
      writeFileSync(join(model, f), readFileSync(join(modelDir, f)));
    const out = join(root, 'holdout-eval');
    const r = runCli([
      'experiment',
      'holdout',
      '--model',
      model,
      '--truth',
      holdout,
      '--out',
      out,
      '--update-card',
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(join(out, 'report.html')));
    const ids = readFileSync(join(holdout, 'manifest.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    for (const id of ids) assert.ok(existsSync(join(out, 'predictions', id, 'report.json')), id);
    const card = JSON.parse(readFileSync(join(model, 'card.json'), 'utf8')) as {
      evaluation: { cases: number } | null;
    };
    // Seed 5 gives positive and negative cases, so an operating point can be set.
    assert.equal(card.evaluation?.cases, 3);
  });
});
