/**
 * Model versions and rollback, through the `neurotriage models` CLI and the service: two copies
 * of the shipped ICH model with different card versions installed (a duplicate version, a folder
 * without a model and an unknown version are one line and exit code 2); v2 activated → a study's
 * result names v2; `models rollback` → the next study's result names v1, with no restart.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { packageRoot } from '../io/data-root.js';
import {
  type TestService,
  named,
  smallHeadCtDicom,
  startTestService,
  upload,
  waitFinished,
} from './test-fixtures.js';

const MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The shipped ICH model folder with another card version (same ONNX file, same sha256). */
function modelCopy(root: string, version: string): string {
  const dir = join(root, `ich-${version}`);
  mkdirSync(dir);
  const shipped = join(packageRoot(), 'models', 'ich-ct');
  cpSync(join(shipped, 'model.onnx'), join(dir, 'model.onnx'));
  const card = JSON.parse(readFileSync(join(shipped, 'card.json'), 'utf8')) as { version: string };
  writeFileSync(join(dir, 'card.json'), JSON.stringify({ ...card, version }));
  return dir;
}

const oneLineRefusal = (r: ReturnType<typeof cli>, pattern: RegExp) => {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, pattern);
};

describe('model versions and rollback', () => {
  let root: string;
  let dataDir: string;
  let t: TestService | undefined;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'nt-models-'));
    dataDir = join(root, 'data');
  });
  after(async () => {
    await t?.service.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('installs versions and refuses a duplicate, a bad folder and an unknown version', () => {
    const v1 = modelCopy(root, '1.0.0-site');
    const v2 = modelCopy(root, '2.0.0-site');
    assert.equal(cli('models', 'install', '--data', dataDir, '--task', 'ich', v1).code, 0);
    const second = cli('models', 'install', '--data', dataDir, '--task', 'ich', v2);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /installed ich 2\.0\.0-site/);
    oneLineRefusal(
      cli('models', 'install', '--data', dataDir, '--task', 'ich', v2),
      /version 2\.0\.0-site is already installed/,
    );
    const empty = join(root, 'empty');
    mkdirSync(empty);
    oneLineRefusal(cli('models', 'install', '--data', dataDir, '--task', 'ich', empty), /card/);
    oneLineRefusal(
      cli('models', 'install', '--data', dataDir, '--task', 'infarct', v1),
      /an? ich model, not infarct/,
    );
    oneLineRefusal(
      cli('models', 'activate', '--data', dataDir, '--task', 'ich', '--version', '9.9'),
      /ich version 9\.9 is not installed/,
    );
    oneLineRefusal(
      cli('models', 'rollback', '--data', dataDir, '--task', 'ich'),
      /nothing to roll back/,
    );
    for (const version of ['1.0.0-site', '2.0.0-site'])
      assert.equal(
        cli('models', 'activate', '--data', dataDir, '--task', 'ich', '--version', version).code,
        0,
      );
    const list = cli('models', 'list', '--data', dataDir);
    assert.match(list.stdout, /ich: active 2\.0\.0-site; installed 1\.0\.0-site, 2\.0\.0-site/);
    assert.match(list.stdout, /infarct: active \(shipped model\)/);
  });

  it('analyses with the active version; after one rollback command, with the previous one', async () => {
    t = await startTestService({ dataDir });
    const first = await upload(t, named(smallHeadCtDicom('models-v2')));
    const withV2 = await waitFinished(t, first.body.id);
    assert.equal(withV2.status, 'done', withV2.reason ?? '');
    assert.equal((withV2.result as { model?: string } | null)?.model, 'neurotriage-ich 2.0.0-site');
    const report = (await (
      await fetch(`${t.url}/studies/${first.body.id}/report`, { headers: t.auth })
    ).json()) as { model: { version: string; sha256: string } };
    assert.equal(report.model.version, '2.0.0-site');

    const back = cli('models', 'rollback', '--data', dataDir, '--task', 'ich');
    assert.equal(back.code, 0, back.stderr);
    assert.match(back.stdout, /1\.0\.0-site is active/);
    const second = await upload(t, named(smallHeadCtDicom('models-v1')));
    const withV1 = await waitFinished(t, second.body.id);
    assert.equal((withV1.result as { model?: string } | null)?.model, 'neurotriage-ich 1.0.0-site');
    oneLineRefusal(
      cli('models', 'rollback', '--data', dataDir, '--task', 'ich'),
      /1\.0\.0-site is the first version activated/,
    );
  });
});
