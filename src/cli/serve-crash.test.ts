/**
 * `neurotriage serve` killed with SIGKILL and started again on the same `--data`:
 * - C-STORE instances acknowledged to `storescu` but still waiting for their settle time are
 *   received at the next start (a half-written instance and a folder without its manifest are
 *   removed): one study, analysed once.
 * - a study killed mid-analysis (`running`) is analysed once more at the next start: `done`, one
 *   result, one job row finished, no duplicate study.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  removeTempFiles,
  runCommand,
  waitFor,
  writeTempFiles,
} from '../service/dimse/dimse-test-helpers.js';
import { named, smallHeadCtDicom, uploadForm } from '../service/test-fixtures.js';
import { runCli } from '../testing/run-cli.js';
import {
  FINISHED,
  type ServeChild,
  getWorklist,
  jobRows,
  pollStudy,
  startServeChild,
} from './serve-test-helpers.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  removeTempFiles();
});

function freshDataDir(): { dataDir: string; token: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'nt-serve-crash-'));
  dirs.push(dataDir);
  const made = runCli(['token', 'create', '--data', dataDir, '--name', 'crash-test']);
  assert.equal(made.status, 0, made.stderr);
  return { dataDir, token: made.stdout.trim() };
}

async function withServe<T>(
  serve: ServeChild,
  body: (serve: ServeChild) => Promise<T>,
): Promise<T> {
  try {
    return await body(serve);
  } catch (e) {
    await serve.stop('SIGKILL');
    throw e;
  }
}

describe('neurotriage serve killed with SIGKILL', () => {
  it('receives acknowledged C-STORE instances still settling at the next start, analysed once', async () => {
    const { dataDir, token } = freshDataDir();
    const slices = smallHeadCtDicom('crash-settling');
    const first = await startServeChild({
      dataDir,
      token,
      workers: 0,
      args: ['--settle-s', '3600'],
    });
    await withServe(first, async (serve) => {
      const sent = await runCommand('storescu', [
        ...['-aet', 'MODALITY', '-aec', 'NEUROTRIAGE', '127.0.0.1', String(serve.dicomPort)],
        ...writeTempFiles(slices),
      ]);
      assert.equal(sent.code, 0, sent.output);
      assert.deepEqual(await getWorklist(serve), [], 'still settling');
    });
    assert.equal(await first.stop('SIGKILL'), null);
    const settling = join(dataDir, 'settling');
    const [folder, ...others] = readdirSync(settling);
    assert.ok(folder !== undefined && others.length === 0, 'one study settling');
    // What a crash mid-write leaves: a temporary instance file, a folder without its manifest.
    writeFileSync(join(settling, folder, '.tmp-interrupted'), new Uint8Array(100));
    mkdirSync(join(settling, 'no-manifest'));
    writeFileSync(join(settling, 'no-manifest', '0001'), new Uint8Array(100));

    const second = await startServeChild({
      dataDir,
      token,
      workers: 1,
      args: ['--settle-s', '3600'],
    });
    const studyId = await withServe(second, async (serve) => {
      let ids: string[] = [];
      await waitFor(
        async () => (ids = (await getWorklist(serve)).map((s) => s.id)).length > 0,
        20_000,
        'the recovered study',
      );
      assert.equal(ids.length, 1);
      const study = await pollStudy(serve, ids[0]!, FINISHED, { timeoutMs: 180_000 });
      assert.equal(study.status, 'done', study.reason ?? '');
      assert.equal(study.files, slices.length, 'every acknowledged instance');
      assert.deepEqual(readdirSync(settling), [], 'nothing left settling');
      return study.id;
    });
    assert.equal(await second.stop('SIGTERM'), 0);
    assert.match(second.output(), /dicom studies left settling by the last run/);
    assert.ok(!second.output().includes('NT-SERVICE'), 'no patient id in the log');

    // A third start receives nothing again.
    const third = await startServeChild({ dataDir, token, workers: 1 });
    await withServe(third, async (serve) => {
      assert.deepEqual(
        (await getWorklist(serve)).map((s) => s.id),
        [studyId],
      );
    });
    assert.equal(await third.stop('SIGTERM'), 0);
    assert.deepEqual(jobRows(dataDir), [{ studyId, state: 'done', attempts: 1 }]);
  });

  it('analyses a study killed mid-analysis once more: done, one result, one job', async () => {
    const { dataDir, token } = freshDataDir();
    const first = await startServeChild({ dataDir, token, workers: 1, args: ['--no-dicom'] });
    const studyId = await withServe(first, async (serve) => {
      const r = await fetch(`${serve.url}/studies`, {
        method: 'POST',
        headers: serve.auth,
        body: uploadForm(named(smallHeadCtDicom('crash-running'))),
      });
      assert.equal(r.status, 202);
      const { id } = (await r.json()) as { id: string };
      const seen = await pollStudy(serve, id, (s) => s !== 'queued', {
        timeoutMs: 30_000,
        intervalMs: 20,
      });
      assert.equal(seen.status, 'running');
      return id;
    });
    assert.equal(await first.stop('SIGKILL'), null);
    assert.deepEqual(jobRows(dataDir), [{ studyId, state: 'running', attempts: 1 }]);

    const second = await startServeChild({ dataDir, token, workers: 1, args: ['--no-dicom'] });
    await withServe(second, async (serve) => {
      const study = await pollStudy(serve, studyId, FINISHED, { timeoutMs: 180_000 });
      assert.equal(study.status, 'done', study.reason ?? '');
      assert.ok(study.links.outputs?.['report.json'], 'the result is served');
      assert.deepEqual(
        (await getWorklist(serve)).map((s) => s.id),
        [studyId],
        'one study',
      );
    });
    assert.equal(await second.stop('SIGTERM'), 0);
    assert.match(second.output(), /"requeued":1/);
    assert.deepEqual(
      jobRows(dataDir),
      [{ studyId, state: 'done', attempts: 2 }],
      'one job row, run once more',
    );
    assert.deepEqual(readdirSync(join(dataDir, 'work')), [], 'no unfinished outputs');
    assert.ok(existsSync(join(dataDir, 'studies', studyId, 'result')));
    assert.deepEqual(readdirSync(join(dataDir, 'studies')), [studyId]);
  });
});
