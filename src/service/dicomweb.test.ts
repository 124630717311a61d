/**
 * DICOMweb over real HTTP: the service on a free port, a small CT series stored with STOW-RS
 * (multipart/related built here, sent with fetch), analysed, found with QIDO-RS (the CT series
 * and our SEG/SR series), retrieved with WADO-RS (bytes as sent; the SEG read by dcmdump),
 * metadata and frames; refusals (401, 415, 413 with nothing stored, a non-DICOM part → 409 with
 * the good parts stored); audit rows; no patient id in the log.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { parseMediaType, parseMultipart } from './dicomweb/multipart-related.js';
import {
  type TestService,
  smallHeadCtDicom,
  startTestService,
  waitFinished,
} from './test-fixtures.js';

const MAX_UPLOAD_BYTES = 512 * 1024;
const DICOM_TYPE = 'multipart/related; type="application/dicom"';

type Json = Record<string, { vr: string; Value?: unknown[]; BulkDataURI?: string }>;

function multipartBody(parts: readonly { bytes: Uint8Array; type?: string }[], boundary: string) {
  const chunks: Uint8Array[] = [];
  for (const p of parts) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Type: ${p.type ?? 'application/dicom'}\r\n\r\n`),
    );
    chunks.push(p.bytes, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

const value = (j: Json | undefined, tag: string) => j?.[tag]?.Value?.[0];

describe('DICOMweb: STOW-RS, QIDO-RS, WADO-RS', () => {
  let t: TestService;
  let log = '';
  const ct = smallHeadCtDicom('dicomweb-test');
  let studyUid = '';
  let ctSeriesUid = '';
  let serviceStudyId = '';

  const stow = (body: Uint8Array, contentType: string, path = '/dicomweb/studies') =>
    fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { ...t.auth, 'content-type': contentType, accept: 'application/dicom+json' },
      body,
    });
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${t.url}/dicomweb${path}`, { headers: { ...t.auth, ...headers } });
  const getJson = async (path: string) => {
    const r = await get(path);
    assert.equal(r.status, 200, path);
    assert.match(r.headers.get('content-type') ?? '', /^application\/dicom\+json/);
    return (await r.json()) as Json[];
  };
  const getParts = async (path: string) => {
    const r = await get(path, { accept: `${DICOM_TYPE}; transfer-syntax=*` });
    assert.equal(r.status, 200, path);
    const m = parseMediaType(r.headers.get('content-type') ?? '');
    assert.equal(m.essence, 'multipart/related');
    return parseMultipart(Buffer.from(await r.arrayBuffer()), m.params.boundary ?? '');
  };

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

  it('answers 401 without a valid token', async () => {
    for (const path of ['/dicomweb/studies', '/dicomweb/studies/1.2.3/series']) {
      assert.equal((await fetch(`${t.url}${path}`)).status, 401, path);
      const wrong = await fetch(`${t.url}${path}`, { headers: { authorization: 'Bearer nt_x' } });
      assert.equal(wrong.status, 401, path);
    }
    const post = await fetch(`${t.url}/dicomweb/studies`, {
      method: 'POST',
      headers: { 'content-type': `${DICOM_TYPE}; boundary=x` },
      body: multipartBody([{ bytes: ct[0]! }], 'x'),
    });
    assert.equal(post.status, 401);
  });

  it('stores a CT series with STOW-RS: 200 and the store response in DICOM JSON', async () => {
    const r = await stow(
      multipartBody(
        ct.map((bytes) => ({ bytes })),
        'b-1',
      ),
      `${DICOM_TYPE}; boundary="b-1"`,
    );
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^application\/dicom\+json/);
    const body = (await r.json()) as Json;
    const referenced = body['00081199']?.Value as Json[];
    assert.equal(referenced.length, ct.length);
    assert.equal(body['00081198'], undefined, 'no failures');
    const url = String(value(body, '00081190'));
    studyUid = url.split('/studies/')[1] ?? '';
    assert.match(studyUid, /^[0-9.]+$/);
    const first = referenced[0]!;
    assert.match(
      String(value(first, '00081190')),
      /\/dicomweb\/studies\/.+\/series\/.+\/instances\/.+$/,
    );
    ctSeriesUid = String(value(first, '00081190')).split('/series/')[1]!.split('/')[0]!;
    const rows = t.service.audit.rows().filter((a) => a.route === '/dicomweb/studies');
    serviceStudyId = rows.at(-1)?.studyId ?? '';
    assert.ok(serviceStudyId, 'the POST is audited with the study');
  });

  it('finds the analysed study, its CT series and our SEG and SR series with QIDO-RS', async () => {
    const study = await waitFinished(t, serviceStudyId);
    assert.equal(study.status, 'done', study.reason ?? '');
    const studies = await getJson('/studies?PatientID=NT-SERVICE');
    assert.equal(studies.length, 1);
    assert.equal(value(studies[0], '0020000D'), studyUid);
    const modalities = studies[0]?.['00080061']?.Value ?? [];
    for (const m of ['CT', 'SEG', 'SR'])
      assert.ok(modalities.includes(m), `${m} in ${modalities.join()}`);
    assert.ok(Number(value(studies[0], '00201208')) > ct.length);
    assert.deepEqual(await getJson('/studies?PatientID=SOMEONE-ELSE'), []);
    assert.equal((await getJson(`/studies?StudyInstanceUID=${studyUid}&limit=1`)).length, 1);
    assert.deepEqual(await getJson('/studies?offset=1'), []);

    const series = await getJson(`/studies/${studyUid}/series`);
    const byModality = new Map(series.map((s) => [String(value(s, '00080060')), s]));
    const ctSeries = byModality.get('CT');
    assert.equal(value(ctSeries, '0020000E'), ctSeriesUid);
    assert.equal(value(ctSeries, '00200011'), 2);
    assert.equal(value(ctSeries, '0008103E'), 'Head non-contrast');
    assert.equal(value(ctSeries, '00201209'), ct.length);
    assert.ok(byModality.has('SEG') && byModality.has('SR'), [...byModality.keys()].join());
    assert.equal((await getJson(`/studies/${studyUid}/series?Modality=SEG`)).length, 1);

    const instances = await getJson(`/studies/${studyUid}/series/${ctSeriesUid}/instances`);
    assert.equal(instances.length, ct.length);
    assert.deepEqual(
      instances.map((i) => value(i, '00200013')),
      ct.map((_, k) => k + 1),
    );
  });

  it('retrieves instances with WADO-RS: the bytes sent, a SEG that dcmdump reads', async () => {
    const [one] = await getJson(`/studies/${studyUid}/series/${ctSeriesUid}/instances?limit=1`);
    const sop = String(value(one, '00080018'));
    const parts = await getParts(`/studies/${studyUid}/series/${ctSeriesUid}/instances/${sop}`);
    assert.equal(parts.length, 1);
    assert.match(parts[0]?.headers['content-type'] ?? '', /^application\/dicom/);
    const sent = ct.find((bytes) => Buffer.from(bytes).includes(Buffer.from(sop)));
    assert.ok(sent && Buffer.from(parts[0]!.body).equals(Buffer.from(sent)), 'the bytes sent');

    assert.equal((await getParts(`/studies/${studyUid}/series/${ctSeriesUid}`)).length, ct.length);
    const seg = (await getJson(`/studies/${studyUid}/series?Modality=SEG`))[0];
    const segParts = await getParts(
      `/studies/${studyUid}/series/${String(value(seg, '0020000E'))}`,
    );
    assert.equal(segParts.length, 1);
    const dir = mkdtempSync(join(tmpdir(), 'nt-dicomweb-'));
    try {
      writeFileSync(join(dir, 'seg.dcm'), segParts[0]!.body);
      const dump = execFileSync('dcmdump', [join(dir, 'seg.dcm')], { encoding: 'utf8' });
      assert.match(dump, /\(0008,0060\) CS \[SEG\]/);
      assert.match(dump, new RegExp(`\\(0020,000d\\) UI \\[${studyUid.replace(/\./g, '\\.')}\\]`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const study = await getParts(`/studies/${studyUid}`);
    assert.ok(study.length > ct.length);
    assert.equal((await get(`/studies/${studyUid}/series/1.2.3`)).status, 404);
    assert.equal((await get(`/studies/${studyUid}`, { accept: 'image/jpeg' })).status, 406);
  });

  it('gives metadata as DICOM JSON and frames of native pixel data', async () => {
    const meta = await getJson(`/studies/${studyUid}/series/${ctSeriesUid}/metadata`);
    assert.equal(meta.length, ct.length);
    const m = meta[0]!;
    assert.equal(value(m, '0020000D'), studyUid);
    assert.equal(value(m, '00080060'), 'CT');
    assert.equal(value(m, '00280010'), 44);
    assert.equal(value(m, '00280011'), 48);
    assert.equal(m['00280030']?.Value?.length, 2, 'PixelSpacing as two numbers');
    assert.equal(typeof value(m, '00281053'), 'number');
    assert.match(m['7FE00010']?.BulkDataURI ?? '', /\/bulkdata\/7FE00010$/);
    const sop = String(value(m, '00080018'));
    const frames = await getParts(
      `/studies/${studyUid}/series/${ctSeriesUid}/instances/${sop}/frames/1`,
    );
    assert.equal(frames[0]?.body.length, 44 * 48 * 2);
  });

  it('stores the good parts and fails a part that is not DICOM: 409, FailedSOPSequence', async () => {
    const other = smallHeadCtDicom('dicomweb-partial').slice(0, 3);
    const junk = new TextEncoder().encode('not a DICOM file\n'.repeat(20));
    const parts = [...other.map((bytes) => ({ bytes })), { bytes: junk }];
    const r = await stow(multipartBody(parts, 'xyz'), `${DICOM_TYPE}; boundary=xyz`);
    assert.equal(r.status, 409);
    const body = (await r.json()) as Json;
    assert.equal(body['00081199']?.Value?.length, 3);
    const failed = body['00081198']?.Value as Json[];
    assert.equal(failed.length, 1);
    assert.equal(value(failed[0], '00081197'), 0xc000);
    const uid = String(value(body, '00081190')).split('/studies/')[1]!;
    const found = await getJson(`/studies?StudyInstanceUID=${uid}`);
    assert.equal(value(found[0], '00201208'), 3);
    // Its analysis ends before the next tests: the service closes with no job running.
    const posted = t.service.audit.rows().filter((a) => a.statusCode === 409 && a.studyId);
    assert.equal(posted.length, 1);
    const study = await waitFinished(t, posted[0]!.studyId!);
    assert.ok(['done', 'not-analysed'].includes(study.status), study.status);
  });

  it('refuses a wrong content type (415) and a body over the limit (413), storing nothing', async () => {
    const before = t.service.store.worklist().length;
    const json = await stow(Buffer.from('{}'), 'application/json');
    assert.equal(json.status, 415);
    const wrongType = await stow(
      multipartBody([{ bytes: ct[0]! }], 'b'),
      'multipart/related; type="application/dicom+json"; boundary=b',
    );
    assert.equal(wrongType.status, 415);
    const noBoundary = await stow(Buffer.from('x'), DICOM_TYPE);
    assert.equal(noBoundary.status, 400);
    const big = smallHeadCtDicom('dicomweb-big');
    const parts = Array.from({ length: 10 }, () => big.map((bytes) => ({ bytes }))).flat();
    const body = multipartBody(parts, 'big');
    assert.ok(body.length > MAX_UPLOAD_BYTES);
    const r = await stow(body, `${DICOM_TYPE}; boundary=big`);
    assert.equal(r.status, 413);
    assert.equal(t.service.store.worklist().length, before, 'no study recorded');
    assert.deepEqual(readdirSync(join(t.dataDir, 'staging')), [], 'nothing staged');
  });

  it('audits every read and keeps the patient id out of the log', () => {
    const routes = new Set(
      t.service.audit.rows(serviceStudyId).map((r) => `${r.method} ${r.route}`),
    );
    for (const route of [
      'POST /dicomweb/studies',
      'GET /dicomweb/studies',
      'GET /dicomweb/studies/:study/series',
      'GET /dicomweb/studies/:study/series/:series/instances',
      'GET /dicomweb/studies/:study/series/:series/instances/:instance',
      'GET /dicomweb/studies/:study/series/:series/metadata',
    ])
      assert.ok(routes.has(route), `${route} in ${[...routes].join(', ')}`);
    assert.ok(!log.includes('NT-SERVICE'), 'the fixture patient id never reaches the log');
  });

  it('lists the DICOMweb routes in /openapi.json', async () => {
    const r = await fetch(`${t.url}/openapi.json`, { headers: t.auth });
    const doc = (await r.json()) as { paths: Record<string, unknown> };
    for (const path of ['/dicomweb/studies', '/dicomweb/studies/{study}/series'])
      assert.ok(doc.paths[path], path);
  });
});
