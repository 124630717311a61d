/**
 * The upload's `series` field (issue 25, part 4), over loopback: a study of two head CT series
 * sent with `?series=3` is analysed on series 3 only, its report says what was skipped and why;
 * a series the upload does not hold ends `not-analysed` with the one-line reason; the same
 * files with another choice are another study.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  type StudyJson,
  type TestService,
  airCtDicom,
  named,
  smallHeadCtDicom,
  startTestService,
  uploadForm,
  waitFinished,
} from './test-fixtures.js';

const files = [
  ...named(smallHeadCtDicom('upload-series-2'), 'head'),
  ...named(airCtDicom('upload-series-3'), 'air'),
];

async function send(t: TestService, series: string): Promise<{ status: number; body: StudyJson }> {
  const r = await fetch(`${t.url}/studies?series=${encodeURIComponent(series)}`, {
    method: 'POST',
    headers: t.auth,
    body: uploadForm(files),
  });
  return { status: r.status, body: (await r.json()) as StudyJson };
}

describe('upload with a series choice', () => {
  let t: TestService;
  before(async () => {
    t = await startTestService();
  });
  after(async () => {
    await t.service.close();
    rmSync(t.dataDir, { recursive: true, force: true });
  });

  it('analyses only the series asked for; the report records the other as skipped', async () => {
    const sent = await send(t, '3');
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const study = await waitFinished(t, sent.body.id);
    assert.equal(study.status, 'done', study.reason ?? '');
    assert.equal(study.result?.positive, false, 'the air-only series 3 was analysed');
    const r = await fetch(`${t.url}/studies/${study.id}/report`, { headers: t.auth });
    const report = (await r.json()) as {
      input: { choice: { skipped: { description: string; why: string }[] } };
    };
    assert.deepEqual(
      report.input.choice.skipped.map((k) => [k.description, k.why]),
      [["CT 'Head non-contrast'", 'not among the series asked for (--series / series field)']],
    );
  });

  it('the same files asked for series 2 are another study, analysed on the head', async () => {
    const sent = await send(t, '2');
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const study = await waitFinished(t, sent.body.id);
    assert.equal(study.status, 'done', study.reason ?? '');
    assert.equal(study.result?.positive, true, 'the 70 HU blob of series 2 is found');
  });

  it('a series the upload does not hold: not-analysed, saying so', async () => {
    const sent = await send(t, '9');
    const study = await waitFinished(t, sent.body.id);
    assert.equal(study.status, 'not-analysed');
    assert.match(
      study.reason ?? '',
      /^series '9' \(asked for\) matches no series; the input has: /,
    );
  });
});
