/**
 * Issue 22 through the service: mutants of the shared data's files (the fuzz harness's cases,
 * seed 22) uploaded over HTTP. Each is refused with an HTTP error status or stored and then
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
});
