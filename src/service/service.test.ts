/**
 * The triage service driven for real: started in-process on a free port of 127.0.0.1 with one
 * analysis worker (the shipped models), spoken to with Node's fetch. A small DICOM head CT and
 * the same CT as NIfTI are uploaded and analysed; status by polling and by server-sent events;
 * report and outputs; worklist order; refusals (401, 413, a corrupt upload → not-analysed);
 * metrics, OpenAPI, audit rows, and no patient data in the log.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  type StudyJson,
  type TestService,
  airCtDicom,
  named,
  readEvents,
  smallHeadCtDicom,
  smallHeadCtNifti,
  startTestService,
  upload,
  waitFinished,
} from './test-fixtures.js';

const MAX_UPLOAD_BYTES = 512 * 1024;

describe('triage service over HTTP', () => {
  let t: TestService;
  let log = '';
  let positive: StudyJson;
  before(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        log += chunk.toString();
        done();
      },
    });
    t = await startTestService({
      limits: { maxUploadBytes: MAX_UPLOAD_BYTES },
      logger: { level: 'info', stream },
    });
  });
  after(async () => {
    await t.service.close();
    rmSync(t.dataDir, { recursive: true, force: true });
  });

  it('answers /health without a token and 401 everywhere else without a valid one', async () => {
    const health = await fetch(`${t.url}/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'ok');
    for (const path of [
      '/worklist',
      '/metrics',
      '/openapi.json',
      `/studies/${crypto.randomUUID()}`,
    ]) {
      const none = await fetch(`${t.url}${path}`);
      assert.equal(none.status, 401, path);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer');
      const wrong = await fetch(`${t.url}${path}`, { headers: { authorization: 'Bearer nt_x' } });
      assert.equal(wrong.status, 401, path);
    }
    const post = await fetch(`${t.url}/studies`, { method: 'POST', body: new FormData() });
    assert.equal(post.status, 401);
  });

  it('analyses an uploaded DICOM CT: 202, polled to done, report.json, overview and DICOM SEG', async () => {
    const sent = await upload(t, named(smallHeadCtDicom()));
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    assert.ok(['queued', 'running'].includes(sent.body.status), sent.body.status);
    positive = await waitFinished(t, sent.body.id);
    assert.equal(positive.status, 'done', positive.reason ?? '');
    assert.equal(positive.result?.task, 'ich');
    assert.equal(positive.result?.positive, true, 'the 70 HU blob is found');
    assert.equal(positive.priority, 0);

    const report = await fetch(`${t.url}/studies/${positive.id}/report`, { headers: t.auth });
    assert.equal(report.status, 200);
    const json = (await report.json()) as { task: string; summary: string; files: object };
    assert.equal(json.task, 'ich');
    assert.equal(json.summary, positive.result?.summary);
    assert.ok(!JSON.stringify(json.files).includes('/'), 'files named relative to the result');

    const png = await fetch(`${t.url}/studies/${positive.id}/outputs/overview.png`, {
      headers: t.auth,
    });
    assert.equal(png.status, 200);
    assert.equal(png.headers.get('content-type'), 'image/png');
    const bytes = new Uint8Array(await png.arrayBuffer());
    assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], 'PNG signature');
    assert.ok(positive.links.outputs?.['segmentation.dcm'], 'DICOM SEG among the outputs');
    const seg = await fetch(`${t.url}/studies/${positive.id}/outputs/segmentation.dcm`, {
      headers: t.auth,
    });
    assert.equal(seg.status, 200);
    const dicm = new Uint8Array(await seg.arrayBuffer()).subarray(128, 132);
    assert.equal(new TextDecoder().decode(dicm), 'DICM');

    const missing = await fetch(`${t.url}/studies/${positive.id}/outputs/..%2Fsecret`, {
      headers: t.auth,
    });
    assert.equal(missing.status, 404);
  });

  it('streams progress and the final status of a NIfTI upload as server-sent events', async () => {
    const sent = await upload(t, [{ name: 'head-ct.nii.gz', bytes: smallHeadCtNifti() }]);
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const events = await readEvents(t, sent.body.id);
    const last = events.at(-1);
    assert.equal(last?.event, 'status');
    assert.equal((last?.data as StudyJson).status, 'done');
    assert.equal((last?.data as StudyJson).result?.task, 'ich');
    const stages = events
      .filter((e) => e.event === 'progress')
      .map((e) => (e.data as { stage: string }).stage);
    assert.ok(stages.includes('inference'), `progress stages: ${stages.join(', ')}`);
    // A finished study's stream gives its status and ends at once.
    const again = await readEvents(t, sent.body.id);
    assert.deepEqual(
      again.map((e) => e.event),
      ['status'],
    );
  });

  it('receives the same content twice as one study with one result (200, duplicate)', async () => {
    const again = await upload(t, named(smallHeadCtDicom(), 'other-name'));
    assert.equal(again.status, 200);
    assert.equal(again.body.duplicate, true);
    assert.equal(again.body.id, positive.id);
  });

  it('refuses an upload over the size limit with 413, and keeps nothing of it', async () => {
    const big = new Uint8Array(MAX_UPLOAD_BYTES + 1024 * 1024 + 10).fill(7);
    const r = await upload(t, [{ name: 'big.dcm', bytes: big }]);
    assert.equal(r.status, 413);
    assert.match(r.body.error ?? '', /larger than the limit/);
    // Just over the limit, past the Content-Length allowance: refused while streaming.
    const streamed = await upload(t, [
      { name: 'b.dcm', bytes: big.subarray(0, MAX_UPLOAD_BYTES + 10) },
    ]);
    assert.equal(streamed.status, 413);
  });

  it('marks a corrupt upload not-analysed with a one-line reason, and keeps serving', async () => {
    const junk = new TextEncoder().encode('this is not an image\n'.repeat(50));
    const sent = await upload(t, [
      { name: 'scan.dcm', bytes: junk },
      { name: 'broken.nii.gz', bytes: junk.subarray(0, 300) },
    ]);
    assert.equal(sent.status, 202);
    const study = await waitFinished(t, sent.body.id);
    assert.equal(study.status, 'not-analysed');
    assert.match(study.reason ?? '', /no image series found/);
    assert.ok(!(study.reason ?? '').includes('\n'));
    assert.equal(study.result, null);
    const report = await fetch(`${t.url}/studies/${study.id}/report`, { headers: t.auth });
    assert.equal(report.status, 404);
    assert.equal((await fetch(`${t.url}/health`)).status, 200);
  });

  it('orders the worklist: positive, then not assessable, then not-analysed, each by arrival', async () => {
    const air = await upload(t, named(airCtDicom()));
    const done = await waitFinished(t, air.body.id);
    assert.equal(done.status, 'done');
    assert.equal(done.result?.positive, false);
    assert.equal(done.result?.state, 'not assessable', 'no head: never negative');
    const r = await fetch(`${t.url}/worklist`, { headers: t.auth });
    assert.equal(r.status, 200);
    const { studies } = (await r.json()) as { studies: StudyJson[] };
    const ranks = studies.map((s) => (s.status === 'done' ? s.result?.state : s.status));
    assert.deepEqual(ranks, ['positive', 'positive', 'not assessable', 'not-analysed']);
    assert.equal(studies[0]?.id, positive.id, 'first positive first');
  });

  it('counts studies by status and analysis durations in /metrics', async () => {
    const r = await fetch(`${t.url}/metrics`, { headers: t.auth });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await r.text();
    assert.match(text, /^neurotriage_studies\{status="done"\} 3$/m);
    assert.match(text, /^neurotriage_studies\{status="not-analysed"\} 1$/m);
    assert.match(text, /^neurotriage_analysis_duration_seconds_count 3$/m);
  });

  it('describes the API in /openapi.json', async () => {
    const r = await fetch(`${t.url}/openapi.json`, { headers: t.auth });
    assert.equal(r.status, 200);
    const doc = (await r.json()) as { openapi: string; paths: Record<string, unknown> };
    assert.match(doc.openapi, /^3\./);
    for (const path of ['/studies', '/studies/{id}', '/studies/{id}/events', '/worklist'])
      assert.ok(doc.paths[path], path);
  });

  it('writes an audit row for every read of a study, its report and outputs', () => {
    const rows = t.service.audit.rows(positive.id);
    const routes = new Set(rows.map((r) => `${r.method} ${r.route}`));
    for (const route of [
      'POST /studies',
      'GET /studies/:id',
      'GET /studies/:id/report',
      'GET /studies/:id/outputs/:name',
    ])
      assert.ok(routes.has(route), `${route} in ${[...routes].join(', ')}`);
    const tokenId = t.service.tokens.verify(t.token);
    assert.ok(rows.every((r) => r.tokenId === tokenId && r.at.length > 0));
    assert.ok(t.service.audit.rows().some((r) => r.route === '/worklist'));
  });

  it('logs studies by id only: no patient id in the log', () => {
    assert.match(log, /analysis finished/);
    assert.ok(!log.includes('NT-SERVICE'), 'the fixture patient id never reaches the log');
  });
});
