/**
 * `neurotriage serve --redis` and `neurotriage worker --redis` against a port where no Redis
 * listens: each gives up after `--redis-timeout-s` with one line naming the address, and a
 * non-zero exit code, instead of retrying for ever.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { freePort } from '../service/dimse/dimse-test-helpers.js';

const TIMEOUT_S = 1;
/** Start-up of the CLI itself (loading the models' code, the store) on a busy machine. */
const START_ALLOWANCE_MS = 15_000;

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
}

function runCli(args: readonly string[]): Promise<Exit> {
  const main = fileURLToPath(new URL('./main.js', import.meta.url));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, elapsedMs: performance.now() - started });
    });
  });
}

describe('an unreachable Redis at start-up', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nt-redis-down-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  for (const command of ['serve', 'worker'] as const)
    it(`${command} --redis gives up after --redis-timeout-s with one line`, async () => {
      const port = await freePort(); // nothing listens there
      const url = `redis://127.0.0.1:${port}`;
      const args =
        command === 'serve'
          ? ['serve', '--data', dataDir, '--http-port', '0', '--no-dicom', '--redis', url]
          : ['worker', '--data', dataDir, '--threads', '1', '--redis', url];
      const r = await runCli([...args, '--redis-timeout-s', String(TIMEOUT_S)]);
      assert.notEqual(r.code, 0, 'a non-zero exit code');
      assert.notEqual(r.code, null, 'it exits by itself (not killed)');
      assert.match(
        r.stderr,
        new RegExp(
          `^neurotriage: cannot reach redis at 127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED.*\\)\\n$`,
        ),
      );
      assert.doesNotMatch(r.stdout, /service on|worker on redis/, 'never announced as running');
      assert.ok(
        r.elapsedMs >= TIMEOUT_S * 1000,
        `waited the timeout (${Math.round(r.elapsedMs)} ms)`,
      );
      assert.ok(
        r.elapsedMs < TIMEOUT_S * 1000 + START_ALLOWANCE_MS,
        `bounded (${Math.round(r.elapsedMs)} ms)`,
      );
    });
});
