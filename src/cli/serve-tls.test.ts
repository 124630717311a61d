/**
 * `neurotriage serve` with TLS as a user runs it: with a certificate and key (and
 * `--dicom-tls`) the banner says https and "(TLS)" and `/health` answers over HTTPS; one of
 * certificate/key alone, or a file that is not PEM, is one line on stderr and exit code 2, before
 * anything listens.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type TestPki, get, makeTestPki } from '../service/tls-test-helpers.js';
import { runCli } from '../testing/run-cli.js';
import { repoRoot } from '../testing/shared-data.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nt-serve-tls-'));
let pki: TestPki;
before(() => {
  pki = makeTestPki();
});
after(() => {
  pki.remove();
  rmSync(dataDir, { recursive: true, force: true });
});

const serveArgs = ['serve', '--data', dataDir, '--http-port', '0', '--dicom-port', '0'];

describe('neurotriage serve --tls-cert --tls-key', () => {
  it('serves HTTPS on the https URL it prints, and DICOM over TLS', async () => {
    const main = join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
    const child = spawn(
      process.execPath,
      [
        main,
        ...serveArgs,
        ...['--workers', '0', '--quiet', '--dicom-tls'],
        ...['--tls-cert', pki.server.cert, '--tls-key', pki.server.key],
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
          const m = /service on (https:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
          if (m) resolve(m[1]!);
        });
        child.on('exit', () => reject(new Error(`serve exited: ${stdout}`)));
      });
      assert.match(stdout, /DICOM NEUROTRIAGE on port \d+ \(TLS\)/);
      assert.equal((await get(`${url}/health`, { ca: pki.ca })).status, 200);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  });

  it('refuses a certificate without its key in one line, before listening', () => {
    const r = runCli([...serveArgs, '--tls-cert', pki.server.cert]);
    assert.equal(r.status, 2);
    assert.equal(
      r.stderr,
      'neurotriage: --tls-cert and --tls-key go together: give both or neither\n',
    );
    assert.equal(r.stdout, '');
  });

  it('refuses a file that is not PEM in one line, before listening', () => {
    const bad = join(pki.dir, 'bad-cert.pem');
    writeFileSync(bad, '-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n');
    const r = runCli([...serveArgs, '--tls-cert', bad, '--tls-key', pki.server.key]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `neurotriage: --tls-cert ${bad}: not a PEM certificate\n`);
    assert.equal(r.stdout, '');
  });

  it('refuses --dicom-tls without a certificate', () => {
    const r = runCli([...serveArgs, '--dicom-tls']);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'neurotriage: --dicom-tls needs --tls-cert and --tls-key\n');
  });
});
