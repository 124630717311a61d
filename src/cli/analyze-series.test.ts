/**
 * `analyze --series` (issue 25, part 4): a study with two head CT series; the caller names the
 * one to analyse by series number, report.json's input section says what was used and what was
 * skipped and why, and a name matching no series is refused in one clear line.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { airCtDicom, smallHeadCtDicom } from '../service/test-fixtures.js';
import { runCli } from '../testing/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'nt-analyze-series-'));
after(() => rmSync(root, { recursive: true, force: true }));
const study = join(root, 'study');
mkdirSync(study);
// Series 2: a head with a 70 HU blob; series 3: air only (the ICH model calls it negative).
smallHeadCtDicom('series-2').forEach((b, k) => writeFileSync(join(study, `a${k}.dcm`), b));
airCtDicom('series-3').forEach((b, k) => writeFileSync(join(study, `b${k}.dcm`), b));

interface Report {
  input: {
    ids: string[];
    series: string;
    choice?: {
      rule: string;
      task: string;
      used: { id: string; role: string }[];
      skipped: { id: string; description: string; why: string }[];
    };
  };
  triage: { positive: boolean };
}

describe('analyze --series', () => {
  it('analyses the series asked for by number and records the other as skipped', () => {
    const out = join(root, 'out');
    const r = runCli(['analyze', study, '--series', '3', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    assert.match(report.input.series, /CT 'Head'/);
    assert.equal(report.triage.positive, false, 'the air-only series 3 was analysed');
    const choice = report.input.choice!;
    assert.equal(choice.task, 'auto: CT and no diffusion MR');
    assert.deepEqual(
      choice.used.map((u) => u.role),
      ['ct'],
    );
    assert.equal(choice.skipped.length, 1);
    assert.equal(choice.skipped[0]!.description, "CT 'Head non-contrast'");
    assert.match(choice.skipped[0]!.why, /not among the series asked for/);
  });

  it('refuses a series that is not in the input, in one line listing what is', () => {
    const r = runCli(['analyze', study, '--series', '7', '--out', join(root, 'bad')]);
    assert.notEqual(r.status, 0);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(
      lines[0]!,
      /^neurotriage: series '7' \(asked for\) matches no series; the input has: .*CT 'Head non-contrast'.*CT 'Head'/,
    );
  });
});
