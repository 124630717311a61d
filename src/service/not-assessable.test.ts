/**
 * A study NeuroTriage cannot judge, end to end over loopback (issue 25): an all-air "CT" (no
 * head: registration to the template fails) ends `done` with the triage state
 * 'not assessable', is ranked right after the positives on the worklist, counted as not
 * assessable (never negative) by `GET /monitoring`, and raises a signed
 * `result.not-assessable` webhook and its FHIR DiagnosticReport ("not assessable").
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  type Receiver,
  bodyOf,
  eventually,
  startReceiver,
  validSignature,
} from './alert-test-helpers.js';
import type { MonitoringRow } from './monitoring.js';
import {
  type StudyJson,
  type TestService,
  airCtDicom,
  named,
  startTestService,
  upload,
  waitFinished,
} from './test-fixtures.js';

const SECRET = 'a-test-secret-of-some-length';

describe('a not-assessable study in the service', () => {
  let t: TestService;
  let hook: Receiver;
  let fhir: Receiver;
  let study: StudyJson;
  before(async () => {
    hook = await startReceiver();
    fhir = await startReceiver({ answer: () => 201 });
    t = await startTestService({
      alerts: {
        webhooks: [`${hook.url}/hook`],
        webhookSecret: new TextEncoder().encode(SECRET),
        fhirEndpoints: [`${fhir.url}/fhir/DiagnosticReport`],
        maxAttempts: 2,
        retryBaseMs: 100,
        timeoutMs: 2000,
      },
    });
    const sent = await upload(t, named(airCtDicom('not-assessable')));
    assert.equal(sent.status, 202);
    study = await waitFinished(t, sent.body.id);
  });
  after(async () => {
    await t.service.close();
    await Promise.all([hook.close(), fhir.close()]);
    rmSync(t.dataDir, { recursive: true, force: true });
  });

  it('ends done, not assessable, with the reason in the summary; the report says so', async () => {
    assert.equal(study.status, 'done', study.reason ?? '');
    assert.equal(study.result?.state, 'not assessable');
    assert.equal(study.result?.positive, false);
    assert.match(study.result?.summary ?? '', /^Not assessable: registration/);
    const r = await fetch(`${t.url}/studies/${study.id}/report`, { headers: t.auth });
    const report = (await r.json()) as {
      triage: { state: string };
      assessment: { reasons: { code: string }[] };
    };
    assert.equal(report.triage.state, 'not assessable');
    assert.ok(report.assessment.reasons.some((x) => x.code === 'registration'));
  });

  it('ranks it right after the positives on the worklist, with its state', async () => {
    const r = await fetch(`${t.url}/worklist`, { headers: t.auth });
    const { studies } = (await r.json()) as { studies: StudyJson[] };
    const listed = studies.find((s) => s.id === study.id);
    assert.equal(listed?.result?.state, 'not assessable');
    assert.equal(listed?.priority, 1, 'after positive (0), before no result (2) and negative (4)');
  });

  it('is counted not assessable by GET /monitoring, never negative', async () => {
    const r = await fetch(`${t.url}/monitoring`, { headers: t.auth });
    const { rows } = (await r.json()) as { rows: MonitoringRow[] };
    const total = (k: keyof MonitoringRow) => rows.reduce((n, row) => n + Number(row[k]), 0);
    assert.equal(total('notAssessable'), 1);
    assert.equal(total('negative'), 0);
    assert.equal(total('positive'), 0);
  });

  it('POSTs a signed result.not-assessable webhook and the FHIR report', async () => {
    const [request] = await eventually('the webhook', () =>
      hook.requests.length > 0 ? hook.requests : undefined,
    );
    assert.ok(request);
    assert.equal(request.headers['x-neurotriage-event'], 'result.not-assessable');
    assert.ok(validSignature(SECRET, request));
    const body = bodyOf<{ event: string; study: { id: string; result: { state: string } } }>(
      request,
    );
    assert.equal(body.event, 'result.not-assessable');
    assert.equal(body.study.id, study.id);
    assert.equal(body.study.result.state, 'not assessable');
    const [report] = await eventually('the FHIR endpoint', () =>
      fhir.requests.length > 0 ? fhir.requests : undefined,
    );
    assert.ok(report);
    const fhirReport = bodyOf<{ conclusionCode: { text: string }[] }>(report);
    assert.equal(fhirReport.conclusionCode[0]?.text, 'not assessable');
  });
});
