/**
 * `neurotriage token create` and `neurotriage serve` as a user runs them: a token printed once,
 * the service as a child process on free HTTP and DICOM ports, /health open, /worklist behind the token, and
 * a clean exit on SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../testing/run-cli.js';
import { repoRoot } from '../testing/shared-data.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nt-serve-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

describe('neurotriage serve', () => {
  it('prints a token, serves on the port it names, and stops on SIGTERM', async () => {
    const made = runCli(['token', 'create', '--data', dataDir, '--name', 'cli-test']);
    assert.equal(made.status, 0, made.stderr);
    const token = made.stdout.trim();
    assert.match(token, /^nt_[\w-]{43}$/);

    const main = join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
    const child = spawn(
      process.execPath,
      [
        main,
        'serve',
        '--data',
        dataDir,
        '--http-port',
        '0',
        '--dicom-port',
        '0',
        '--workers',
        '0',
        '--quiet',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      let stdout = '';
      child.stdout.setEncoding('utf8');
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: string) => {
          stdout += chunk;
          const m = /service on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
          if (m) resolve(m[1]!);
        });
        child.on('exit', () => reject(new Error(`serve exited: ${stdout}`)));
      });
      assert.match(stdout, /not a medical device/);
      assert.match(stdout, /DICOM NEUROTRIAGE on port \d+/);
      assert.equal((await fetch(`${url}/health`)).status, 200);
      assert.equal((await fetch(`${url}/worklist`)).status, 401);
      const list = await fetch(`${url}/worklist`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(list.status, 200);
      assert.deepEqual(await list.json(), { studies: [] });
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  });
});
