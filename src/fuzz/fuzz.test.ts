/**
 * A short fuzz run as part of `npm test`: 2,000 mutants of every kind of file in the shared
 * data, seed 1, read as `info` and `analyze` read them, in two worker threads; every one must
 * be read or cleanly refused (no crash, hang or memory blow-up), and a small sample must keep
 * the CLI contract. `npm run fuzz` runs longer ones.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../testing/shared-data.js';
import { type FuzzRun, runFuzz } from './run-fuzz.js';
import { type Failure, formatTable } from './fuzz-report.js';

const dataRoot = process.env.NEUROTRIAGE_SHARED_DATA ?? resolve(repoRoot(), '..', 'shared', 'data');
const skip = existsSync(dataRoot)
  ? false
  : 'the shared data (../shared/data) is missing: no seed files to fuzz';

const line = (f: Failure) =>
  `${f.outcome} case ${f.caseIndex} ${f.kind}/${f.mutation}: ${f.message} at ${f.sourceFrame ?? f.frame ?? '?'} (${f.detail ?? ''})`;

describe('fuzz: 2,000 mutants of the shared data, seed 1', { skip }, () => {
  let run: FuzzRun | undefined;

  it('reads or cleanly refuses every mutant within 3 minutes', { timeout: 300_000 }, async () => {
    run = await runFuzz({
      dataRoot,
      seed: 1,
      cases: 2000,
      jobs: 2,
      cliSample: 4,
      mainJs: join(repoRoot(), 'dist', 'src', 'cli', 'main.js'),
    });
    // Time is reported, not asserted (a loaded machine is slower); the test's timeout bounds it.
    process.stdout.write(`# fuzz: ${run.results.length} cases in ${run.seconds.toFixed(0)} s\n`);
    assert.deepEqual(run.failures.map(line), [], formatTable(run.rows));
  });

  it('covered every kind of file with several mutations, and some mutants still read', () => {
    assert.ok(run, 'the run above finished');
    const kinds = new Set(run.results.map((r) => r.plan.kind));
    for (const kind of [
      'dicom-explicit-le',
      'dicom-jpeg-lossless',
      'nifti-gz',
      'bval',
      'zip',
      'folder',
    ] as const)
      assert.ok(kinds.has(kind), `no ${kind} case`);
    assert.ok(run.results.some((r) => r.outcome === 'ok'));
    assert.ok(run.results.some((r) => r.outcome === 'refused'));
    assert.ok(run.cliChecks.length >= 4);
  });
});
