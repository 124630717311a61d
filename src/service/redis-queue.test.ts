/**
 * `serve --redis` with `neurotriage worker` processes on a throw-away redis-server (skipped when
 * `redis-server` is not installed): studies uploaded over HTTP are analysed by the workers from
 * the shared data folder, each once; a worker killed with SIGKILL mid-analysis loses its job
 * lock and the other worker runs the job again: `done`, one result.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from './database.js';
import { waitFor } from './dimse/dimse-test-helpers.js';
import {
  type ChildRun,
  type TestRedis,
  hasRedisServer,
  startCli,
  startRedis,
} from './redis-test-helpers.js';
import { type StudyJson, named, smallHeadCtDicom, uploadForm } from './test-fixtures.js';

const SERVE_BANNER = /service on (http:\/\/127\.0\.0\.1:\d+)/;
const WORKER_BANNER = /neurotriage worker on redis/;
const FINISHED = ['done', 'not-analysed', 'failed'];

const children: ChildRun[] = [];
const dirs: string[] = [];
let redis: TestRedis | undefined;

after(async () => {
  for (const child of children) await child.stop('SIGKILL');
  await redis?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Cluster {
  readonly url: string;
  readonly auth: Record<string, string>;
  readonly dataDir: string;
  readonly serve: ChildRun;
  readonly workers: readonly ChildRun[];
}

/** A data folder with a token, `serve --redis` on it and two workers (Redis database `db`). */
async function startCluster(db: number, workerArgs: readonly string[] = []): Promise<Cluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nt-redis-'));
  dirs.push(dataDir);
  const main = fileURLToPath(new URL('../cli/main.js', import.meta.url));
  const made = spawnSync(process.execPath, [main, 'token', 'create', '--data', dataDir], {
    encoding: 'utf8',
  });
  assert.equal(made.status, 0, made.stderr);
  const url = `${redis!.url}/${db}`;
  const serve = await startCli(
    ['serve', '--data', dataDir, '--http-port', '0', '--no-dicom', '--redis', url],
    SERVE_BANNER,
  );
  children.push(serve);
  const workers: ChildRun[] = [];
  for (let i = 0; i < 2; i++) {
    const worker = await startCli(
      ['worker', '--redis', url, '--data', dataDir, '--threads', '1', ...workerArgs],
      WORKER_BANNER,
    );
    children.push(worker);
    workers.push(worker);
  }
  return {
    url: serve.banner[1]!,
    auth: { authorization: `Bearer ${made.stdout.trim()}` },
    dataDir,
    serve,
    workers,
  };
}

async function uploadStudy(c: Cluster, key: string): Promise<string> {
  const r = await fetch(`${c.url}/studies`, {
    method: 'POST',
    headers: c.auth,
    body: uploadForm(named(smallHeadCtDicom(key))),
  });
  assert.equal(r.status, 202);
  return ((await r.json()) as { id: string }).id;
}

async function waitFinished(c: Cluster, id: string): Promise<StudyJson> {
  let study: StudyJson | undefined;
  await waitFor(
    async () => {
      const r = await fetch(`${c.url}/studies/${id}`, { headers: c.auth });
      study = (await r.json()) as StudyJson;
      return FINISHED.includes(study.status);
    },
    180_000,
    `study ${id} finished`,
  );
  return study!;
}

/** How often a worker's log says `message` for the study. */
function logged(worker: ChildRun, message: string, studyId: string): number {
  return worker
    .output()
    .split('\n')
    .filter((line) => line.includes(`"studyId":"${studyId}"`) && line.includes(`"${message}"`))
    .length;
}

function jobRows(dataDir: string): { studyId: string; state: string; attempts: number }[] {
  const db = openDatabase(join(dataDir, 'neurotriage.sqlite'));
  try {
    const rows = db.prepare('SELECT study_id, state, attempts FROM jobs ORDER BY id').all();
    return (rows as Record<string, unknown>[]).map((r) => ({
      studyId: String(r.study_id),
      state: String(r.state),
      attempts: Number(r.attempts),
    }));
  } finally {
    db.close();
  }
}

async function stopAll(c: Cluster): Promise<void> {
  for (const worker of c.workers) await worker.stop('SIGTERM');
  assert.equal(await c.serve.stop('SIGTERM'), 0);
}

describe(
  'serve --redis with neurotriage worker processes',
  {
    skip: hasRedisServer() ? false : 'redis-server is not installed (apt-get install redis-server)',
  },
  () => {
    before(async () => {
      redis = await startRedis();
    });

    it('analyses 3 studies uploaded over HTTP on two workers: each done, analysed once', async () => {
      const c = await startCluster(1);
      const ids = await Promise.all(['a', 'b', 'c'].map((k) => uploadStudy(c, `redis-${k}`)));
      for (const id of ids) {
        const study = await waitFinished(c, id);
        assert.equal(study.status, 'done', study.reason ?? '');
        assert.ok(study.links.outputs?.['report.json'], 'the result is served');
      }
      for (const id of ids) {
        const runs = c.workers.map((w) => logged(w, 'analysis finished', id));
        assert.equal(runs[0]! + runs[1]!, 1, `study ${id} analysed once (${runs.join(' + ')})`);
      }
      assert.ok(
        c.workers.every((w) => /"analysis finished"/.test(w.output())),
        'both workers analysed',
      );
      await stopAll(c);
      // The three uploads run concurrently: job rows are in arrival order, not in `ids` order.
      const byId = (a: { studyId: string }, b: { studyId: string }) =>
        a.studyId.localeCompare(b.studyId);
      assert.deepEqual(
        jobRows(c.dataDir).sort(byId),
        ids.map((studyId) => ({ studyId, state: 'done', attempts: 1 })).sort(byId),
      );
      assert.deepEqual(readdirSync(join(c.dataDir, 'studies')).sort(), [...ids].sort());
      for (const child of [c.serve, ...c.workers])
        assert.ok(!child.output().includes('NT-SERVICE'), 'no patient id in the logs');
    });

    it('a worker killed with SIGKILL mid-analysis: the other worker finishes the study, one result', async () => {
      const c = await startCluster(2, ['--lock-ms', '1500', '--stalled-interval-ms', '1000']);
      const id = await uploadStudy(c, 'redis-killed');
      let taken: number | undefined;
      await waitFor(
        () => (taken = c.workers.findIndex((w) => logged(w, 'analysis started', id) > 0)) >= 0,
        60_000,
        'a worker taking the study',
      );
      const work = join(c.dataDir, 'work');
      await waitFor(() => readdirSync(work).length > 0, 60_000, 'its work folder');
      const killedWork = readdirSync(work);
      const killed = c.workers[taken!]!;
      const other = c.workers[1 - taken!]!;
      assert.equal(await killed.stop('SIGKILL'), null);
      assert.equal(logged(killed, 'analysis finished', id), 0, 'killed mid-analysis');

      const study = await waitFinished(c, id);
      assert.equal(study.status, 'done', study.reason ?? '');
      assert.equal(logged(other, 'analysis finished', id), 1, 'the other worker finished it');
      await stopAll(c);
      assert.deepEqual(jobRows(c.dataDir), [{ studyId: id, state: 'done', attempts: 2 }]);
      assert.deepEqual(readdirSync(join(c.dataDir, 'studies')), [id], 'one study');
      assert.ok(existsSync(join(c.dataDir, 'studies', id, 'result', 'report.json')));
      assert.equal(killedWork.length, 1, 'the killed attempt had a work folder');
      assert.deepEqual(readdirSync(work), [], "the killed attempt's work folder is gone");
      assert.equal(logged(other, 'earlier work folders of the job removed', id), 1);
    });
  },
);
