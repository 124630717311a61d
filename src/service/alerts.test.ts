/**
 * Alerts against local HTTP receivers: a positive study → a signed `result.positive` webhook
 * (the HMAC checked here from the raw body) and its FHIR DiagnosticReport; a receiver that
 * answers 500 twice → delivered on attempt 3; a receiver that is down → `failed` with the error;
 * `GET /alerts` and its audit row; the no-result alarm (no workers) once per study; the
 * repeated-failures alarm (corrupt uploads end not-analysed); a pending delivery resumed after
 * a restart.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  type Receiver,
  bodyOf,
  closedPort,
  eventually,
  startReceiver,
  validSignature,
} from './alert-test-helpers.js';
import {
  type TestService,
  named,
  smallHeadCtDicom,
  startTestService,
  upload,
  waitFinished,
} from './test-fixtures.js';

const SECRET = 'a-test-secret-of-some-length';

interface AlertsJson {
  deliveries: {
    id: number;
    studyId: string | null;
    event: string;
    kind: string;
    endpoint: string;
    state: string;
    attempts: number;
    lastError: string | null;
  }[];
}

async function alertsOf(t: TestService): Promise<AlertsJson['deliveries']> {
  const r = await fetch(`${t.url}/alerts`, { headers: t.auth });
  assert.equal(r.status, 200);
  return ((await r.json()) as AlertsJson).deliveries;
}

const events = (r: Receiver, event: string) =>
  r.requests.filter((q) => q.headers['x-neurotriage-event'] === event);

describe('alerts on a positive result', () => {
  let t: TestService;
  let ok: Receiver;
  let flaky: Receiver;
  let fhir: Receiver;
  let downUrl: string;
  let studyId: string;
  before(async () => {
    ok = await startReceiver();
    flaky = await startReceiver({ answer: (n) => (n <= 2 ? 500 : 200) });
    fhir = await startReceiver({ answer: () => 201 });
    downUrl = `http://127.0.0.1:${await closedPort()}/hook`;
    t = await startTestService({
      alerts: {
        webhooks: [`${ok.url}/hook`, `${flaky.url}/hook`, downUrl],
        webhookSecret: new TextEncoder().encode(SECRET),
        fhirEndpoints: [`${fhir.url}/fhir/DiagnosticReport`],
        maxAttempts: 3,
        retryBaseMs: 100,
        timeoutMs: 2000,
      },
    });
    const sent = await upload(t, named(smallHeadCtDicom('alerts-positive')));
    assert.equal(sent.status, 202);
    studyId = sent.body.id;
    const study = await waitFinished(t, studyId);
    assert.equal(study.result?.positive, true, 'the fixture is positive');
  });
  after(async () => {
    await t.service.close();
    await Promise.all([ok.close(), flaky.close(), fhir.close()]);
    rmSync(t.dataDir, { recursive: true, force: true });
  });

  it('POSTs result.positive to the webhook, HMAC-signed over timestamp, event and raw body', async () => {
    const [request] = await eventually('the webhook', () =>
      ok.requests.length > 0 ? ok.requests : undefined,
    );
    assert.ok(request);
    assert.equal(ok.requests.length, 1, 'one event for one positive study');
    assert.equal(request.path, '/hook');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['x-neurotriage-event'], 'result.positive');
    const timestampS = Number(request.headers['x-neurotriage-timestamp']);
    assert.ok(Math.abs(Date.now() / 1000 - timestampS) < 120, 'a current timestamp');
    assert.ok(validSignature(SECRET, request), 'the signature verifies');
    assert.ok(!validSignature('another-secret-entirely', request), 'not with another key');
    const tampered = {
      ...request,
      raw: Buffer.from(request.raw.toString().replace('true', 'false')),
    };
    assert.ok(!validSignature(SECRET, tampered), 'not over a changed body');

    const body = bodyOf<{
      event: string;
      notice: string;
      study: { id: string; status: string; result: { positive: boolean; task: string } };
    }>(request);
    assert.equal(body.event, 'result.positive');
    assert.equal(body.study.id, studyId);
    assert.equal(body.study.status, 'done');
    assert.equal(body.study.result.positive, true);
    assert.equal(body.study.result.task, 'ich');
    assert.match(body.notice, /research use only/i);
    assert.ok(!request.raw.toString().includes('NT-SERVICE'), 'no patient ID in the payload');
  });

  it("POSTs the study's FHIR DiagnosticReport to the FHIR endpoint", async () => {
    const [request] = await eventually('the FHIR endpoint', () =>
      fhir.requests.length > 0 ? fhir.requests : undefined,
    );
    assert.ok(request);
    assert.equal(request.path, '/fhir/DiagnosticReport');
    assert.equal(request.headers['content-type'], 'application/fhir+json');
    const report = bodyOf<{ resourceType: string; status: string }>(request);
    assert.equal(report.resourceType, 'DiagnosticReport');
    const stored = await fetch(`${t.url}/studies/${studyId}/outputs/report.fhir.json`, {
      headers: t.auth,
    });
    assert.equal(request.raw.toString(), await stored.text(), 'the stored report, as is');
  });

  it('retries a receiver that answers 500 twice: delivered on attempt 3, each attempt signed', async () => {
    await eventually('three attempts', () => (flaky.requests.length >= 3 ? true : undefined));
    for (const request of flaky.requests) assert.ok(validSignature(SECRET, request));
    const row = await eventually('the delivered row', async () =>
      (await alertsOf(t)).find(
        (d) => d.endpoint === `${flaky.url}/hook` && d.state === 'delivered',
      ),
    );
    assert.equal(row.attempts, 3);
    assert.equal(row.event, 'result.positive');
    assert.equal(row.studyId, studyId);
    assert.equal(row.lastError, null);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(flaky.requests.length, 3, 'no attempt after delivery');
  });

  it('records a receiver that is down as failed after the last attempt, with the error', async () => {
    const row = await eventually('the failed row', async () =>
      (await alertsOf(t)).find((d) => d.endpoint === downUrl && d.state === 'failed'),
    );
    assert.equal(row.attempts, 3);
    assert.match(row.lastError ?? '', /ECONNREFUSED/);
    assert.ok(!(row.lastError ?? '').includes('\n'));
  });

  it('lists the deliveries on GET /alerts (token needed), audit-logged', async () => {
    assert.equal((await fetch(`${t.url}/alerts`)).status, 401);
    const rows = await alertsOf(t);
    assert.deepEqual(rows.map((d) => `${d.kind} ${d.event}`).sort(), [
      'fhir result.positive',
      'webhook result.positive',
      'webhook result.positive',
      'webhook result.positive',
    ]);
    assert.ok(t.service.audit.rows().some((r) => r.route === '/alerts' && r.statusCode === 200));
  });
});

describe('alarm: a received study without a result', () => {
  it('raises alarm.no-result once per study after the threshold', async () => {
    const hook = await startReceiver();
    const t = await startTestService({
      workers: 0,
      alerts: { webhooks: [hook.url], noResultAlarmMs: 1000, noResultCheckMs: 100 },
    });
    try {
      const sent = await upload(t, named(smallHeadCtDicom('alerts-no-result')));
      assert.equal(sent.status, 202);
      const startedMs = Date.now();
      const [alarm] = await eventually('the alarm', () =>
        hook.requests.length > 0 ? hook.requests : undefined,
      );
      assert.ok(alarm);
      assert.ok(Date.now() - startedMs >= 800, 'not before the threshold');
      const body = bodyOf<{ event: string; study: { id: string; status: string } }>(alarm);
      assert.equal(body.event, 'alarm.no-result');
      assert.equal(body.study.id, sent.body.id);
      assert.equal(body.study.status, 'queued');
      await new Promise((resolve) => setTimeout(resolve, 700));
      assert.equal(events(hook, 'alarm.no-result').length, 1, 'once per study');
    } finally {
      await t.service.close();
      await hook.close();
      rmSync(t.dataDir, { recursive: true, force: true });
    }
  });
});

describe('alarm: repeated failures', () => {
  it('sends result.no-result for each not-analysed study and one alarm after 3 in a row', async () => {
    const hook = await startReceiver();
    const t = await startTestService({ alerts: { webhooks: [hook.url] } });
    try {
      const ids: string[] = [];
      for (let k = 0; k < 3; k++) {
        const junk = new TextEncoder().encode(`not an image ${k}\n`.repeat(50));
        const sent = await upload(t, [{ name: 'scan.dcm', bytes: junk }]);
        assert.equal(sent.status, 202);
        const study = await waitFinished(t, sent.body.id);
        assert.equal(study.status, 'not-analysed');
        ids.push(study.id);
      }
      const [alarm] = await eventually('the alarm', () => {
        const found = events(hook, 'alarm.repeated-failures');
        return found.length > 0 ? found : undefined;
      });
      assert.ok(alarm);
      const body = bodyOf<{ consecutiveFailures: { count: number; studyIds: string[] } }>(alarm);
      assert.deepEqual(body.consecutiveFailures, { count: 3, studyIds: ids });
      await eventually('three result events', () =>
        events(hook, 'result.no-result').length === 3 ? true : undefined,
      );
      const noResult = events(hook, 'result.no-result').map(
        (r) => bodyOf<{ study: { id: string; reason: string } }>(r).study,
      );
      assert.deepEqual(noResult.map((s) => s.id).sort(), [...ids].sort());
      for (const s of noResult) assert.match(s.reason, /no image series found/);
      assert.equal(events(hook, 'alarm.repeated-failures').length, 1);
    } finally {
      await t.service.close();
      await hook.close();
      rmSync(t.dataDir, { recursive: true, force: true });
    }
  });
});

describe('alerts across a restart', () => {
  it('resumes a pending delivery at the next start and delivers it once', async () => {
    const port = await closedPort();
    const alerts = {
      webhooks: [`http://127.0.0.1:${port}/hook`],
      noResultAlarmMs: 200,
      noResultCheckMs: 50,
      retryBaseMs: 1500,
    };
    const first = await startTestService({ workers: 0, alerts });
    const sent = await upload(first, named(smallHeadCtDicom('alerts-restart')));
    assert.equal(sent.status, 202);
    const pending = await eventually('a failed first attempt', async () =>
      (await alertsOf(first)).find((d) => d.attempts === 1 && d.state === 'pending'),
    );
    assert.match(pending.lastError ?? '', /ECONNREFUSED/);
    await first.service.close();

    const hook = await startReceiver({ port });
    const second = await startTestService({
      workers: 0,
      alerts,
      dataDir: first.dataDir,
      token: first.token,
    });
    try {
      const row = await eventually('the delivery', async () =>
        (await alertsOf(second)).find((d) => d.id === pending.id && d.state === 'delivered'),
      );
      assert.equal(row.attempts, 2);
      assert.equal(events(hook, 'alarm.no-result').length, 1, 'the alarm, once');
    } finally {
      await second.service.close();
      await hook.close();
      rmSync(first.dataDir, { recursive: true, force: true });
    }
  });
});
