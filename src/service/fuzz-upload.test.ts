/**
 * Issue 22 through the service: mutants of the shared data's files (the fuzz harness's cases,
 * seed 22) uploaded over HTTP, and DICOM mutants (seed 23) sent by STOW-RS. Each is refused with an HTTP error status or stored and then
 * finished as analysed or not-analysed with a reason — never `failed` (an internal error) and
 * never left running; the service stays up and still analyses a good study afterwards.
 * Skipped without the shared data.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { planCase } from '../fuzz/case-plan.js';
import { makeMutant } from '../fuzz/make-mutant.js';
import { selectSeedFiles } from '../fuzz/seed-files.js';
import { packageRoot } from '../io/data-root.js';
import {
  type TestService,
  named,
  smallHeadCtDicom,
  startTestService,
  upload,
  waitFinished,
} from './test-fixtures.js';

const dataRoot =
  process.env.NEUROTRIAGE_SHARED_DATA ?? resolve(packageRoot(), '..', 'shared', 'data');
const skip = existsSync(dataRoot) ? false : 'the shared data (../shared/data) is missing';
const CASES = 40;

describe('mutated uploads to the service', { skip }, () => {
  let t: TestService;
  before(async () => {
    t = await startTestService({ limits: { maxUploadBytes: 64 * 1024 * 1024 } });
  });
  after(async () => {
    await t.service.close();
    rmSync(t.dataDir, { recursive: true, force: true });
  });

  it(
    `refuses or finishes each of ${CASES} mutants, and stays up`,
    { timeout: 600_000 },
    async () => {
      const seeds = selectSeedFiles(dataRoot);
      const cache = new Map<number, Uint8Array>();
      const bytesOf = (n: number): Uint8Array => {
        let bytes = cache.get(n);
        if (!bytes) {
          bytes = new Uint8Array(readFileSync(join(dataRoot, seeds[n]!.relativePath)));
          cache.set(n, bytes);
        }
        return bytes;
      };
      const outcomes: string[] = [];
      for (let index = 0; index < CASES; index++) {
        const plan = planCase(seeds, 22, index);
        const mutant = makeMutant(plan, { seeds, bytesOf });
        const what = `case ${index} ${plan.kind}/${plan.mutation} (${mutant.detail})`;
        const files = mutant.files.map((f) => ({ name: f.name, bytes: f.bytes }));
        const sent = await upload(t, files.length > 0 ? files : named([new Uint8Array(0)]));
        if (sent.status >= 400) {
          assert.ok(sent.status < 500, `${what}: HTTP ${sent.status} ${JSON.stringify(sent.body)}`);
          outcomes.push(`${sent.status}`);
          continue;
        }
        const study = await waitFinished(t, sent.body.id);
        assert.ok(
          ['done', 'not-analysed'].includes(study.status),
          `${what}: ${study.status} ${study.reason}`,
        );
        if (study.status === 'not-analysed') assert.ok(study.reason, `${what}: no reason given`);
        outcomes.push(study.status);
      }
      assert.equal(outcomes.length, CASES);
      assert.ok(outcomes.includes('not-analysed'), outcomes.join(', '));
      const health = await fetch(`${t.url}/health`);
      assert.equal(health.status, 200);
      const good = await upload(t, named(smallHeadCtDicom('after-fuzz')));
      assert.equal((await waitFinished(t, good.body.id)).status, 'done');
    },
  );
  it(
    'STOW-RS: 20 DICOM mutants, each answered below 500; what is stored finishes, none failed',
    {
      timeout: 600_000,
    },
    async () => {
      const seeds = selectSeedFiles(dataRoot);
      const bytesOf = (n: number): Uint8Array =>
        new Uint8Array(readFileSync(join(dataRoot, seeds[n]!.relativePath)));
      let sent = 0;
      for (let index = 0; sent < 20 && index < 400; index++) {
        const plan = planCase(seeds, 23, index);
        if (!plan.kind.startsWith('dicom')) continue;
        const mutant = makeMutant(plan, { seeds, bytesOf });
        const boundary = `nt-fuzz-${index}`;
        const body = Buffer.concat([
          ...mutant.files.flatMap((f) => [
            Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
            f.bytes,
            Buffer.from('\r\n'),
          ]),
          Buffer.from(`--${boundary}--\r\n`),
        ]);
        const r = await fetch(`${t.url}/dicomweb/studies`, {
          method: 'POST',
          headers: {
            ...t.auth,
            'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
            accept: 'application/dicom+json',
          },
          body,
        });
        await r.arrayBuffer();
        assert.ok(
          r.status < 500,
          `case ${index} ${plan.mutation} (${mutant.detail}): HTTP ${r.status}`,
        );
        sent++;
      }
      assert.equal(sent, 20);
      const worklist = async () => {
        const r = await fetch(`${t.url}/worklist`, { headers: t.auth });
        return (
          (await r.json()) as { studies: { id: string; status: string; reason: string | null }[] }
        ).studies;
      };
      const end = Date.now() + 300_000;
      let studies = await worklist();
      while (studies.some((s) => ['received', 'queued', 'running'].includes(s.status))) {
        assert.ok(Date.now() < end, 'studies still pending after 5 minutes');
        await new Promise((resolve) => setTimeout(resolve, 500));
        studies = await worklist();
      }
      const failed = studies.filter((s) => s.status === 'failed');
      assert.deepEqual(failed, [], 'no study ends failed (an internal error)');
      assert.equal((await fetch(`${t.url}/health`)).status, 200);
    },
  );
});
