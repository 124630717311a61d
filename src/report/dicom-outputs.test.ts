/**
 * The DICOM outputs of a study NeuroTriage could not judge (issue 25): the SR codes the triage
 * result "Not assessable" with each reason, the SEG, key images and overlay series name the
 * result and the reasons in their comments, and nothing says "NEGATIVE". Each object still
 * passes dciodvfy.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { str } from '../io/dicom/dataset-values.js';
import { type SourceFixture, sourceFixture } from '../io/dicom/derived-test-fixtures.js';
import { parseDicom } from '../io/dicom/parse-dicom.js';
import { dciodvfy } from '../testing/dicom-tools.js';
import {
  DICOM_FILE_NAMES,
  type DicomOutputReport,
  dicomOutputs,
  keyImageHeadline,
} from './dicom-outputs.js';

const root = mkdtempSync(join(tmpdir(), 'nt-dicom-outputs-'));
after(() => rmSync(root, { recursive: true, force: true }));

const REASONS = [
  'registration to the ct template failed (quality 0.120 below 0.5): no brain mask and no location',
  'brain median 180 HU is above 60',
];

const REPORT: DicomOutputReport = {
  task: 'ich',
  summary: `Not assessable: ${REASONS.join('; ')}`,
  model: { name: 'ich-ct', version: '1.2.0', sha256: 'ab12'.repeat(16) },
  volumesMl: { intraparenchymal: 0.4, subdural: 0 },
  totalLesionMl: 0.4,
  lesionCount: 1,
  triage: { state: 'not assessable', score: 0.12, positive: false },
  assessment: { reasons: REASONS.map((message) => ({ message })) },
  notice: 'NeuroTriage is for research use only; it is not a medical device.',
};

describe('DICOM outputs of a not-assessable study', () => {
  let fixture: SourceFixture;
  const paths: Record<string, string> = {};
  before(async () => {
    fixture = await sourceFixture({ dir: join(root, 'src'), key: 'not-assessable' });
    const objects = dicomOutputs({
      softwareVersion: '0.1.0',
      report: REPORT,
      sources: [fixture.source],
      image: fixture.volume,
      labels: fixture.labels,
      labelNames: { 0: 'background', 1: 'intraparenchymal', 2: 'subdural' },
    });
    for (const [key, bytes] of Object.entries(objects)) {
      const path = join(root, DICOM_FILE_NAMES[key as keyof typeof DICOM_FILE_NAMES]);
      writeFileSync(path, bytes);
      paths[key] = path;
    }
  });

  it('every object says NOT ASSESSABLE with the reasons, none says NEGATIVE', () => {
    for (const key of ['dicomSeg', 'dicomKeyImages', 'dicomOverlay']) {
      const comments = str(parseDicom(readFileSync(paths[key]!)), 'x00204000') ?? '';
      assert.match(comments, /NOT ASSESSABLE: registration to the ct template failed/, key);
      assert.match(comments, /brain median 180 HU is above 60/, key);
      assert.doesNotMatch(comments, /negative/i, key);
    }
    const seg = parseDicom(readFileSync(paths.dicomSeg!));
    assert.match(str(seg, 'x00700081') ?? '', /NOT ASSESSABLE/);
  });

  it('the SR codes the triage result Not assessable and lists each reason', () => {
    const sr = spawnSync('dsrdump', [paths.dicomSr!], { encoding: 'utf8' });
    assert.equal(sr.status, 0, sr.stderr);
    assert.match(sr.stdout, /"Triage result"\)=\(NT-NOTASSESS,99NTRG,"Not assessable"\)/);
    // dsrdump shortens long texts to their first 27 characters.
    const shown = [...sr.stdout.matchAll(/"Reason not assessable"\)="(.{27})\.\.\."/g)];
    assert.deepEqual(
      shown.map((m) => m[1]),
      REASONS.map((r) => r.slice(0, 27)),
    );
    assert.doesNotMatch(sr.stdout, /"Negative"/);
  });

  it("the key images' banner says NOT ASSESSABLE and the first reason", () => {
    assert.equal(keyImageHeadline(REPORT), `haemorrhage NOT ASSESSABLE: ${REASONS[0]}`);
    const negative = {
      ...REPORT,
      triage: { ...REPORT.triage, state: 'negative' as const },
      assessment: { reasons: [] },
    };
    assert.match(keyImageHeadline(negative), /^haemorrhage NEGATIVE \(score 0\.120\)/);
  });

  it('passes dciodvfy, each object', () => {
    for (const [key, path] of Object.entries(paths)) {
      const check = dciodvfy(path);
      assert.deepEqual(check.errors, [], `${key}: ${check.output}`);
    }
  });
});
