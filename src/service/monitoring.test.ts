/**
 * `GET /monitoring`: three studies over HTTP (a positive and a not-assessable CT (all air, no
 * head) from one scanner,
 * its Manufacturer / ManufacturerModelName / StationName set with dcmtk's dcmodify, and a NIfTI
 * upload: unknown scanner) → one row per scanner for this ISO week with the right counts, the
 * positive's lesion volume as median and a time to result; the read is audit-logged. ISO weeks
 * at year boundaries.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { runCommand, removeTempFiles, writeTempFiles } from './dimse/dimse-test-helpers.js';
import { type MonitoringRow, isoWeek } from './monitoring.js';
import {
  type TestService,
  airCtDicom,
  named,
  smallHeadCtDicom,
  smallHeadCtNifti,
  startTestService,
  upload,
  waitFinished,
} from './test-fixtures.js';

/** The files with the scanner's three elements set (dcmodify, in place). */
async function fromScanner(files: readonly Uint8Array[], key: string): Promise<Uint8Array[]> {
  const paths = writeTempFiles(files, key);
  const r = await runCommand('dcmodify', [
    '-nb',
    '-i',
    '(0008,0070)=Acme Medical',
    '-i',
    '(0008,1090)=CT 9000',
    '-i',
    '(0008,1010)=CTROOM1',
    ...paths,
  ]);
  assert.equal(r.code, 0, r.output);
  return paths.map((p) => new Uint8Array(readFileSync(p)));
}

describe('ISO weeks', () => {
  it('numbers weeks from the one holding the first Thursday', () => {
    assert.equal(isoWeek(new Date('2026-12-07T10:00:00Z')), '2026-W50');
    assert.equal(isoWeek(new Date('2021-01-03T23:59:00Z')), '2020-W53');
    assert.equal(isoWeek(new Date('2024-12-30T00:00:00Z')), '2025-W01');
  });
});

describe('GET /monitoring', () => {
  let t: TestService;
  let positiveMl: number;
  before(async () => {
    t = await startTestService();
    const positive = await upload(t, named(await fromScanner(smallHeadCtDicom('mon-pos'), 'p')));
    const air = await upload(t, named(await fromScanner(airCtDicom('mon-neg'), 'n')));
    const nifti = await upload(t, [{ name: 'ct.nii.gz', bytes: smallHeadCtNifti() }]);
    const results = [];
    for (const sent of [positive, air, nifti]) {
      assert.equal(sent.status, 202);
      results.push(await waitFinished(t, sent.body.id));
    }
    assert.deepEqual(
      results.map((r) => r.result?.state),
      ['positive', 'not assessable', 'positive'],
    );
    positiveMl = (results[0]?.result as { totalLesionMl: number } | null)?.totalLesionMl ?? NaN;
  });
  after(async () => {
    await t.service.close();
    rmSync(t.dataDir, { recursive: true, force: true });
    removeTempFiles();
  });

  it('counts outcomes per scanner and week', async () => {
    const r = await fetch(`${t.url}/monitoring`, { headers: t.auth });
    assert.equal(r.status, 200);
    const { rows } = (await r.json()) as { rows: MonitoringRow[] };
    const week = isoWeek(new Date());
    assert.equal(rows.length, 2);
    const acme = rows.find((row) => row.manufacturer === 'Acme Medical');
    assert.ok(acme, JSON.stringify(rows));
    assert.equal(acme.model, 'CT 9000');
    assert.equal(acme.station, 'CTROOM1');
    assert.equal(acme.week, week);
    assert.equal(acme.positive, 1);
    assert.equal(acme.notAssessable, 1, 'the all-air CT');
    assert.equal(acme.negative, 0, 'a not-assessable study is never counted negative');
    assert.equal(acme.notAnalysed + acme.failed + acme.pending, 0);
    assert.equal(acme.medianPositiveLesionMl, positiveMl);
    assert.ok(acme.medianSecondsToResult !== null && acme.medianSecondsToResult > 0);
    const unknown = rows.find((row) => row.manufacturer === null);
    assert.deepEqual(
      unknown && [unknown.model, unknown.station, unknown.week, unknown.positive, unknown.negative],
      [null, null, week, 1, 0],
    );
    const audited = t.service.audit.rows().filter((a) => a.route === '/monitoring');
    assert.equal(audited.length, 1);
  });

  it('refuses a request without a token', async () => {
    assert.equal((await fetch(`${t.url}/monitoring`)).status, 401);
  });
});
