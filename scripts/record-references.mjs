// Records the reference analyses (src/testing/reference-analyses.json) of the shipped models by
// running `neurotriage analyze` on each reference case, as a user would. `npm run record:references`
// (all tasks) or `npm run record:references -- --task infarct` after shipping a new model; entries
// of other models are kept. The test src/pipeline/reference-analyses.test.ts compares against it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNiftiFile } from '../dist/src/io/nifti/nifti-file.js';
import {
  REFERENCE_CASES,
  labelsSha256,
  readReferences,
  shippedModel,
  writeReferences,
} from '../dist/src/testing/reference-cases.js';
import { runCli } from '../dist/src/testing/run-cli.js';

const taskArg = process.argv.indexOf('--task');
const only = taskArg >= 0 ? process.argv[taskArg + 1] : undefined;
const file = readReferences();
for (const c of REFERENCE_CASES.filter((c) => !only || c.task === only)) {
  const { sha256, model } = shippedModel(c.task);
  const out = mkdtempSync(join(tmpdir(), 'neurotriage-ref-'));
  try {
    const r = runCli(['analyze', ...c.inputs(), '--out', out, '--task', c.task]);
    if (r.status !== 0) throw new Error(`analyze ${c.name} failed (${r.status}): ${r.stderr}`);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const labels = readNiftiFile(join(out, 'labels.nii.gz')).volumes[0];
    if (!(labels?.data instanceof Uint8Array)) throw new Error(`${c.name}: labels are not uint8`);
    const entry = (file.models[sha256] ??= { model, cases: {} });
    entry.model = model;
    entry.cases[c.name] = {
      labelsSha256: labelsSha256(labels.data),
      volumesMl: report.volumesMl,
      totalLesionMl: report.totalLesionMl,
      lesionCount: report.lesionCount,
      triageScore: report.triage.score,
      positive: report.triage.positive,
    };
    process.stdout.write(`${c.name} (${model}): ${JSON.stringify(entry.cases[c.name])}\n`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
writeReferences(file);
process.stdout.write('wrote src/testing/reference-analyses.json\n');
