/**
 * Shadow mode (`serve --shadow`): a positive study is analysed and recorded (marked `shadow` in
 * `GET /studies/:id` and the worklist; `/health` says so), but the storescp archive of `--push`
 * receives nothing and the webhook receiver gets nothing. The same study sent to a live service
 * is pushed (the control).
 */
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { type Receiver, startReceiver } from './alert-test-helpers.js';
import { type Archive, startArchive, waitFor } from './dimse/dimse-test-helpers.js';
import {
  type TestService,
  named,
  smallHeadCtDicom,
  startTestService,
  upload,
  waitFinished,
} from './test-fixtures.js';

const filesIn = (dir: string) => readdirSync(dir, { recursive: true }).length;

describe('shadow mode', () => {
  let archive: Archive;
  let receiver: Receiver;
  const started: TestService[] = [];
  const serviceFor = async (shadow: boolean) => {
    const t = await startTestService({
      shadow,
      alerts: { webhooks: [`${receiver.url}/hook`], retryBaseMs: 100, timeoutMs: 2000 },
      dicom: {
        aeTitle: 'NEUROTRIAGE',
        push: [{ aeTitle: archive.aeTitle, host: '127.0.0.1', port: archive.port }],
        pushRetryBaseMs: 100,
      },
    });
    started.push(t);
    return t;
  };
  before(async () => {
    archive = await startArchive();
    receiver = await startReceiver();
  });
  after(async () => {
    for (const t of started) {
      await t.service.close();
      rmSync(t.dataDir, { recursive: true, force: true });
    }
    archive.stop();
    await receiver.close();
    rmSync(archive.dir, { recursive: true, force: true });
  });

  it('records a positive result but pushes and alerts nothing', async () => {
    const t = await serviceFor(true);
    const health = (await (await fetch(`${t.url}/health`)).json()) as { mode: string };
    assert.equal(health.mode, 'shadow');
    const sent = await upload(t, named(smallHeadCtDicom('shadow-positive')));
    assert.equal(sent.status, 202);
    const study = (await waitFinished(t, sent.body.id)) as Awaited<
      ReturnType<typeof waitFinished>
    > & { shadow: boolean };
    assert.equal(study.status, 'done');
    assert.equal(study.result?.positive, true, 'the fixture is positive');
    assert.equal(study.shadow, true);
    const worklist = (await (await fetch(`${t.url}/worklist`, { headers: t.auth })).json()) as {
      studies: { id: string; shadow: boolean }[];
    };
    assert.equal(worklist.studies.find((s) => s.id === sent.body.id)?.shadow, true);
    // Long enough for a push (retry base 100 ms) or a webhook to have happened.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(filesIn(archive.dir), 0, 'the archive received nothing');
    assert.equal(receiver.requests.length, 0, 'no webhook');
    assert.equal(t.service.pushes.forStudy(sent.body.id).length, 0);
    assert.equal(t.service.alertOutbox.recent(10).length, 0);
  });

  it('a live service pushes the same study (control)', async () => {
    const t = await serviceFor(false);
    const sent = await upload(t, named(smallHeadCtDicom('shadow-positive')));
    const study = (await waitFinished(t, sent.body.id)) as { shadow?: boolean; status: string };
    assert.equal(study.shadow, false);
    await waitFor(() => filesIn(archive.dir) > 0, 30_000, 'the push to the archive');
  });
});
