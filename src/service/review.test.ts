/**
 * Reviews over real HTTP (issue 21): a DICOM head CT, the same CT as NIfTI and an all-air CT
 * analysed by the service; accept, a mask edit (half the lesion erased with the project's NIfTI
 * reader and writer) as version 2 with its DICOM SEG checked by dciodvfy, refusals (another
 * grid, foreign label values, not NIfTI, no result), reject, the versions oldest first, two
 * reviews at once, the worklist's review state, audit rows, and `exportDataset` in the nnU-Net
 * layout read back.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createVolume } from '../core/volume.js';
import { readNifti } from '../io/nifti/read-nifti.js';
import { writeNifti } from '../io/nifti/write-nifti.js';
import { dciodvfy } from '../testing/dicom-tools.js';
import { runCli } from '../testing/run-cli.js';
import { exportDataset } from './export-dataset.js';
import {
  type StudyJson,
  type TestService,
  airCtDicom,
  named,
  smallHeadCtDicom,
  smallHeadCtNifti,
  startTestService,
  upload,
  waitFinished,
} from './test-fixtures.js';

interface ReviewJson {
  version: number;
  kind: 'decision' | 'mask';
  decision?: string;
  note?: string | null;
  reviewer: { id: string; name: string };
  reviewedAt: string;
  files?: string[];
  volumesMl?: Record<string, number>;
  error?: string;
}

type Reviewed = StudyJson & {
  review: { decision: string; version: number; reviewer: { name: string } } | null;
};

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const total = (volumes: Record<string, number> | undefined) =>
  Object.values(volumes ?? {}).reduce((a, b) => a + b, 0);

describe('reviews over HTTP', () => {
  let t: TestService;
  let ct: StudyJson;
  let niftiCt: StudyJson;
  let air: StudyJson;
  let originalLabels: Uint8Array;
  let editedMl = 0;
  const tmp = mkdtempSync(join(tmpdir(), 'nt-review-'));

  const get = (path: string) => fetch(`${t.url}${path}`, { headers: t.auth });
  const review = async (id: string, body: unknown) => {
    const r = await fetch(`${t.url}/studies/${id}/review`, {
      method: 'POST',
      headers: { ...t.auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as ReviewJson };
  };
  const putLabels = async (id: string, bytes: Uint8Array) => {
    const r = await fetch(`${t.url}/studies/${id}/labels`, {
      method: 'PUT',
      headers: { ...t.auth, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    return { status: r.status, body: (await r.json()) as ReviewJson };
  };
  const study = async (id: string) => (await (await get(`/studies/${id}`)).json()) as Reviewed;

  before(async () => {
    t = await startTestService();
    t.service.tokens.revoke(t.service.tokens.verify(t.token)!);
    const named_ = t.service.tokens.create('dr-reviewer');
    t = { ...t, token: named_.token, auth: { authorization: `Bearer ${named_.token}` } };
    const sent = await upload(t, named(smallHeadCtDicom('review-ct')));
    ct = await waitFinished(t, sent.body.id);
    assert.equal(ct.status, 'done', ct.reason ?? '');
    niftiCt = await waitFinished(
      t,
      (await upload(t, [{ name: 'ct.nii.gz', bytes: smallHeadCtNifti() }])).body.id,
    );
    assert.equal(niftiCt.status, 'done', niftiCt.reason ?? '');
    air = await waitFinished(t, (await upload(t, named(airCtDicom('review-air')))).body.id);
    assert.equal(air.status, 'done', air.reason ?? '');
    originalLabels = new Uint8Array(
      await (await get(`/studies/${ct.id}/outputs/labels.nii.gz`)).arrayBuffer(),
    );
  });
  after(async () => {
    await t.service.close();
    rmSync(t.dataDir, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  });

  it('accepts a finding: 201, version 1 by the token, and the worklist shows it accepted', async () => {
    const before_ = await study(ct.id);
    assert.equal(before_.review, null, 'no review yet');
    const r = await review(ct.id, { decision: 'accept', note: 'agree with the IPH' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.version, 1);
    assert.equal(r.body.kind, 'decision');
    assert.equal(r.body.decision, 'accept');
    assert.equal(r.body.note, 'agree with the IPH');
    assert.equal(r.body.reviewer.name, 'dr-reviewer');
    assert.equal(r.body.reviewer.id, t.service.tokens.verify(t.token));
    assert.ok(!Number.isNaN(Date.parse(r.body.reviewedAt)));
    const { studies } = (await (await get('/worklist')).json()) as { studies: Reviewed[] };
    const row = studies.find((s) => s.id === ct.id);
    assert.deepEqual(
      { decision: row?.review?.decision, version: row?.review?.version },
      { decision: 'accept', version: 1 },
    );
    assert.equal(studies.find((s) => s.id === air.id)?.review, null);
  });

  it('saves an edited mask as version 2: lower volume, original untouched, SEG valid', async () => {
    const image = readNifti(originalLabels);
    const labels = image.volumes[0]!;
    const lesion = [...labels.data.keys()].filter((v) => labels.data[v] !== 0);
    assert.ok(lesion.length > 10, 'the model found a lesion to edit');
    const edited = Uint8Array.from(labels.data);
    for (const v of lesion.slice(0, Math.floor(lesion.length / 2))) edited[v] = 0;
    const bytes = writeNifti(createVolume(labels.geometry, edited, labels.meta), { gzip: true });
    const r = await putLabels(ct.id, bytes);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.version, 2);
    assert.equal(r.body.kind, 'mask');
    assert.equal(r.body.reviewer.name, 'dr-reviewer');
    const report = (await (await get(`/studies/${ct.id}/report`)).json()) as {
      totalLesionMl: number;
      volumesMl: Record<string, number>;
    };
    editedMl = total(r.body.volumesMl);
    const voxelMl = labels.geometry.spacingMm.reduce((a, b) => a * b, 1) / 1000;
    assert.ok(
      Math.abs(editedMl - (lesion.length - Math.floor(lesion.length / 2)) * voxelMl) < 1e-6,
    );
    assert.ok(editedMl < total(report.volumesMl), `${editedMl} < ${total(report.volumesMl)}`);
    assert.deepEqual(Object.keys(r.body.volumesMl ?? {}), Object.keys(report.volumesMl));

    const now = new Uint8Array(
      await (await get(`/studies/${ct.id}/outputs/labels.nii.gz`)).arrayBuffer(),
    );
    assert.equal(sha256(now), sha256(originalLabels), 'the result keeps the model labels');
    const stored = await get(`/studies/${ct.id}/reviews/2/labels.nii.gz`);
    assert.equal(stored.status, 200);
    const back = readNifti(new Uint8Array(await stored.arrayBuffer())).volumes[0]!;
    assert.deepEqual([...back.data], [...edited]);

    const seg = await get(`/studies/${ct.id}/reviews/2/segmentation.dcm`);
    assert.equal(seg.status, 200);
    assert.equal(seg.headers.get('content-type'), 'application/dicom');
    const segPath = join(tmp, 'v2.dcm');
    writeFileSync(segPath, new Uint8Array(await seg.arrayBuffer()));
    const check = dciodvfy(segPath);
    assert.deepEqual(check.errors, [], check.output);
    assert.match(readFileSync(segPath).toString('latin1'), /SEMIAUTOMATIC/);
    assert.equal((await study(ct.id)).review?.decision, 'edited');
  });

  it('refuses a label map on another grid, with foreign values, or not NIfTI: 400, one line', async () => {
    const labels = readNifti(originalLabels).volumes[0]!;
    const g = labels.geometry;
    const shifted = { ...g, originMm: [g.originMm[0] + 1, g.originMm[1], g.originMm[2]] as const };
    const smaller = { ...g, shape: [g.shape[0] - 1, g.shape[1], g.shape[2]] as const };
    const foreign = Uint8Array.from(labels.data);
    foreign[0] = 42;
    for (const [what, bytes, message] of [
      ['shifted', writeNifti(createVolume(shifted, labels.data, labels.meta)), /affine differs/],
      [
        'smaller',
        writeNifti(
          createVolume(smaller, new Uint8Array(smaller.shape.reduce((a, b) => a * b, 1)), {}),
        ),
        /result's grid is/,
      ],
      ['foreign', writeNifti(createVolume(g, foreign, labels.meta)), /value 42/],
      ['junk', new TextEncoder().encode('not a nifti at all'.repeat(40)), /not a readable NIfTI/],
    ] as const) {
      const r = await putLabels(ct.id, bytes);
      assert.equal(r.status, 400, `${what}: ${JSON.stringify(r.body)}`);
      assert.match(r.body.error ?? '', message, what);
      assert.ok(!(r.body.error ?? '').includes('\n'), what);
    }
    const list = (await (await get(`/studies/${ct.id}/reviews`)).json()) as ReviewJson[];
    assert.equal(list.length, 2, 'refusals record no version');
  });

  it('answers 409 for a study with no result and 400 for a bad decision', async () => {
    const junk = await upload(t, [
      { name: 'x.dcm', bytes: new TextEncoder().encode('junk'.repeat(100)) },
    ]);
    const notAnalysed = await waitFinished(t, junk.body.id);
    assert.equal(notAnalysed.status, 'not-analysed');
    const r = await review(notAnalysed.id, { decision: 'accept' });
    assert.equal(r.status, 409);
    assert.match(r.body.error ?? '', /no result/);
    const bad = await review(ct.id, { decision: 'maybe' });
    assert.equal(bad.status, 400);
    const long = await review(ct.id, { decision: 'accept', note: 'x'.repeat(2001) });
    assert.equal(long.status, 400);
    const missing = await review(crypto.randomUUID(), { decision: 'accept' });
    assert.equal(missing.status, 404);
  });

  it('rejects a finding: the latest review is reject', async () => {
    const r = await review(air.id, { decision: 'reject', note: 'motion artefact' });
    assert.equal(r.status, 201);
    const s = await study(air.id);
    assert.deepEqual(
      { decision: s.review?.decision, version: s.review?.version, name: s.review?.reviewer.name },
      { decision: 'reject', version: 1, name: 'dr-reviewer' },
    );
  });

  it('gives two reviews sent at once distinct versions, and lists versions oldest first', async () => {
    const both = await Promise.all([
      review(niftiCt.id, { decision: 'reject' }),
      review(niftiCt.id, { decision: 'accept' }),
    ]);
    assert.deepEqual(both.map((r) => r.status).sort(), [201, 201]);
    assert.deepEqual(both.map((r) => r.body.version).sort(), [1, 2]);
    const accept = await review(niftiCt.id, { decision: 'accept', note: 'final' });
    assert.equal(accept.body.version, 3);

    const list = (await (await get(`/studies/${ct.id}/reviews`)).json()) as ReviewJson[];
    assert.deepEqual(
      list.map((r) => [r.version, r.kind, r.decision ?? null]),
      [
        [1, 'decision', 'accept'],
        [2, 'mask', null],
      ],
    );
    assert.deepEqual(list[1]?.files, ['labels.nii.gz', 'segmentation.dcm']);
    assert.deepEqual(list[0]?.files, []);
    assert.ok(list[0]!.reviewedAt <= list[1]!.reviewedAt);
    const none = await get(`/studies/${ct.id}/reviews/1/labels.nii.gz`);
    assert.equal(none.status, 404, 'a decision has no files');
  });

  it('writes an audit row for every review read and write', () => {
    const routes = new Set(
      t.service.audit.rows(ct.id).map((r) => `${r.method} ${r.route} ${r.statusCode}`),
    );
    for (const route of [
      'POST /studies/:id/review 201',
      'PUT /studies/:id/labels 201',
      'PUT /studies/:id/labels 400',
      'GET /studies/:id/reviews 200',
      'GET /studies/:id/reviews/:version/:name 200',
      'GET /studies/:id/reviews/:version/:name 404',
    ])
      assert.ok(routes.has(route), `${route} in ${[...routes].join(', ')}`);
  });

  it('exports accepted and edited studies as an nnU-Net dataset that reads back', async () => {
    const out = join(tmp, 'dataset');
    const summary = await exportDataset({ dataDir: t.dataDir, out, layout: 'nnunet' });
    assert.equal(summary.task, 'ich');
    assert.deepEqual(
      summary.skipped.map((s) => [s.studyId, s.reason]),
      [[air.id, 'rejected by the reviewer']],
    );
    assert.equal(summary.cases.length, 2);
    const dataset = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8')) as {
      channel_names: Record<string, string>;
      labels: Record<string, number>;
      numTraining: number;
      file_ending: string;
    };
    assert.deepEqual(dataset.channel_names, { '0': 'CT' });
    assert.equal(dataset.labels.background, 0);
    assert.equal(dataset.labels.intraparenchymal, 1);
    assert.equal(dataset.numTraining, 2);
    assert.equal(dataset.file_ending, '.nii.gz');
    for (const c of summary.cases) {
      const image = readNifti(readFileSync(join(out, 'imagesTr', `${c.caseId}_0000.nii.gz`)));
      const labels = readNifti(readFileSync(join(out, 'labelsTr', `${c.caseId}.nii.gz`)));
      assert.deepEqual(image.volumes[0]!.geometry.shape, labels.volumes[0]!.geometry.shape);
      assert.deepEqual(image.volumes[0]!.geometry.shape, [48, 44, 14]);
      assert.ok(Math.max(...image.volumes[0]!.data) >= 70, 'the CT in HU, with the 70 HU blob');
      assert.ok(!c.caseId.includes('NT-SERVICE') && /^case_\d{4}$/.test(c.caseId));
    }
    const edited = summary.cases.find((c) => c.studyId === ct.id);
    assert.equal(edited?.labelsFrom, 'edited');
    const labels = readNifti(readFileSync(join(out, 'labelsTr', `${edited!.caseId}.nii.gz`)));
    const g = labels.volumes[0]!.geometry;
    const ml =
      (labels.volumes[0]!.data.filter((x) => x !== 0).length *
        g.spacingMm.reduce((a, b) => a * b, 1)) /
      1000;
    assert.ok(Math.abs(ml - editedMl) < 1e-6, `${ml} mL exported, ${editedMl} mL edited`);
    assert.equal(summary.cases.find((c) => c.studyId === niftiCt.id)?.labelsFrom, 'model');
    assert.ok(!existsSync(join(out, 'imagesTr', 'case_0003_0000.nii.gz')));
  });

  it('runs as `neurotriage export-dataset`, saying what it skipped and why', () => {
    const out = join(tmp, 'cli-dataset');
    const r = runCli(['export-dataset', '--data', t.dataDir, '--out', out, '--layout', 'nnunet']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /exported 2 case\(s\) \(ich, nnunet layout\)/);
    assert.match(r.stdout, /skipped 1: 1 rejected by the reviewer/);
    assert.ok(existsSync(join(out, 'labelsTr', 'case_0001.nii.gz')));
    const again = runCli([
      'export-dataset',
      '--data',
      t.dataDir,
      '--out',
      out,
      '--layout',
      'nnunet',
    ]);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /not empty/);
    const isles = runCli([
      'export-dataset',
      '--data',
      t.dataDir,
      '--out',
      join(tmp, 'isles'),
      '--layout',
      'isles22',
    ]);
    assert.equal(isles.status, 2);
    assert.match(isles.stderr, /isles22 layout holds DWI \+ ADC/);
    const accepted = runCli([
      'export-dataset',
      '--data',
      t.dataDir,
      '--out',
      join(tmp, 'acc'),
      '--layout',
      'nnunet',
      '--include',
      'accepted',
    ]);
    assert.equal(accepted.status, 0, accepted.stderr);
    assert.match(accepted.stdout, /exported 1 case/);
    assert.match(accepted.stdout, /skipped 2: /);
    assert.match(accepted.stdout, /1 rejected by the reviewer/);
    assert.match(accepted.stdout, /1 edited \(not in --include\)/);
  });
});
