/**
 * The service across restarts, on one data folder: a finished study is still served after a
 * restart; a study received completely but not finished (queued, or running when the process
 * stopped) is analysed after the restart; a half-received upload left in staging is removed
 * and never becomes a study. Also `receiveInstances`, the entry a C-STORE SCP or STOW-RS will
 * call, and a token created while the service is stopped.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createServiceToken } from './token-admin.js';
import {
  airCtDicom,
  named,
  smallHeadCtDicom,
  startTestService,
  upload,
  waitFinished,
} from './test-fixtures.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nt-service-restart-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

describe('triage service restart', () => {
  const token = createServiceToken({ dataDir, name: 'restart-test' }).token;
  let doneId = '';
  let queuedId = '';
  let runningId = '';

  it('run 1: analyses a study to done', async () => {
    const t = await startTestService({ dataDir, token });
    try {
      const sent = await upload(t, named(smallHeadCtDicom('restart-done')));
      assert.equal(sent.status, 202);
      doneId = sent.body.id;
      assert.equal((await waitFinished(t, doneId)).status, 'done');
    } finally {
      await t.service.close();
    }
  });

  it('run 2 (no workers): receives two studies, one left running as if the process died', async () => {
    const t = await startTestService({ dataDir, token, workers: 0 });
    try {
      const a = await upload(t, named(airCtDicom('restart-queued')));
      assert.equal(a.status, 202);
      assert.equal(a.body.status, 'queued');
      queuedId = a.body.id;
      // Through the entry that DICOM receivers will use.
      const files = named(smallHeadCtDicom('restart-running'));
      const b = t.service.intake.receiveInstances('1.2.826.0.1.3680043.10.1234', files, 'test');
      runningId = b.study.id;
      const job = t.service.store.jobOfStudy(runningId);
      assert.ok(job);
      t.service.store.markRunning(job.id);
      assert.equal(t.service.store.study(runningId)?.status, 'running');
    } finally {
      await t.service.close();
    }
    // A half-received upload: a staging folder the crash left behind.
    mkdirSync(join(dataDir, 'staging', 'partial'), { recursive: true });
    writeFileSync(join(dataDir, 'staging', 'partial', '0001'), new Uint8Array(100));
  });

  it('run 3: serves the finished result, re-queues and finishes the others, drops the partial upload', async () => {
    const t = await startTestService({ dataDir, token });
    try {
      assert.ok(!existsSync(join(dataDir, 'staging', 'partial')), 'half-received upload removed');
      const report = await fetch(`${t.url}/studies/${doneId}/report`, { headers: t.auth });
      assert.equal(report.status, 200);
      assert.equal(((await report.json()) as { task: string }).task, 'ich');
      for (const id of [queuedId, runningId]) {
        const study = await waitFinished(t, id);
        assert.equal(study.status, 'done', `${id}: ${study.reason ?? ''}`);
      }
      const worklist = (await (await fetch(`${t.url}/worklist`, { headers: t.auth })).json()) as {
        studies: { id: string }[];
      };
      assert.deepEqual(
        worklist.studies.map((s) => s.id).sort(),
        [doneId, queuedId, runningId].sort(),
        'three studies: the partial upload never became one',
      );
      assert.equal(
        t.service.store.job(1)?.attempts,
        1,
        'the finished study was not analysed again',
      );
      assert.deepEqual(readdirSync(join(dataDir, 'work')), [], 'no unfinished outputs left');
    } finally {
      await t.service.close();
    }
  });
});
