/**
 * The C-STORE SCP over TLS (`serve --dicom-tls`), driven with dcmtk on a throw-away PKI
 * (openssl): `echoscu` and `storescu` with TLS that trust the CA are served (the sent CT series
 * becomes one study), a plain `echoscu` is not; with a client CA (mutual TLS) a client certificate
 * the CA signed is served, one from another CA and none are refused. The pusher (`--push-tls`)
 * stores into a TLS `storescp` that requires a client certificate, and refuses one whose
 * certificate it cannot verify.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type StudyJson,
  type TestService,
  smallHeadCtDicom,
  startTestService,
} from '../test-fixtures.js';
import { loadServiceTls } from '../tls-options.js';
import { type KeyPair, type TestPki, makeTestPki } from '../tls-test-helpers.js';
import {
  freePort,
  removeTempFiles,
  runCommand,
  waitFor,
  writeTempFiles,
} from './dimse-test-helpers.js';
import { storeFiles } from './store-scu.js';

const AE = 'NEUROTRIAGE';

let pki: TestPki;
before(() => {
  pki = makeTestPki();
});
after(() => {
  pki.remove();
  removeTempFiles();
});

async function startTlsScp(withClientCa: boolean): Promise<TestService> {
  const tls = loadServiceTls({
    cert: pki.server.cert,
    key: pki.server.key,
    ...(withClientCa && { ca: pki.ca }),
  });
  assert.ok(tls);
  return startTestService({
    workers: 0,
    dicom: { aeTitle: AE, port: 0, settleMs: 500, tls },
  });
}

async function stop(t: TestService): Promise<void> {
  await t.service.close();
  rmSync(t.dataDir, { recursive: true, force: true });
}

/** dcmtk's TLS arguments: our certificate (none: anonymous TLS) and the CA we trust. */
function tlsArgs(client: KeyPair | undefined): string[] {
  const identity = client ? ['+tls', client.key, client.cert] : ['+tla'];
  return [...identity, '+cf', pki.ca];
}

const echo = (t: TestService, args: readonly string[]) =>
  runCommand('echoscu', ['-aec', AE, ...args, '127.0.0.1', String(t.service.dicomPort)]);

describe('DICOM over TLS (--dicom-tls)', () => {
  let t: TestService;
  before(async () => {
    t = await startTlsScp(false);
  });
  after(() => stop(t));

  it('answers echoscu over TLS, and a plain echoscu not', async () => {
    const secure = await echo(t, tlsArgs(undefined));
    assert.equal(secure.code, 0, secure.output);
    const plain = await echo(t, []);
    assert.notEqual(plain.code, 0);
  });

  it('receives a CT series from storescu over TLS as one study', async () => {
    const files = writeTempFiles(smallHeadCtDicom('dicom-tls'));
    const store = await runCommand('storescu', [
      '-aec',
      AE,
      ...tlsArgs(undefined),
      '127.0.0.1',
      String(t.service.dicomPort),
      ...files,
    ]);
    assert.equal(store.code, 0, store.output);
    let studies: StudyJson[] = [];
    await waitFor(
      async () => {
        const r = await fetch(`${t.url}/worklist`, { headers: t.auth });
        studies = ((await r.json()) as { studies: StudyJson[] }).studies;
        return studies.length > 0;
      },
      20_000,
      'the study in the worklist',
    );
    assert.equal(studies.length, 1);
    assert.equal(studies[0]?.status, 'queued');
  });
});

describe('DICOM mutual TLS (--dicom-tls --tls-ca)', () => {
  let t: TestService;
  before(async () => {
    t = await startTlsScp(true);
  });
  after(() => stop(t));

  it('answers a client certificate the CA signed', async () => {
    const r = await echo(t, tlsArgs(pki.client));
    assert.equal(r.code, 0, r.output);
  });

  it('refuses a client certificate from another CA, and no certificate', async () => {
    const untrusted = await echo(t, tlsArgs(pki.untrustedClient));
    assert.notEqual(untrusted.code, 0);
    const anonymous = await echo(t, tlsArgs(undefined));
    assert.notEqual(anonymous.code, 0);
  });
});

describe('pushes over TLS (--push-tls)', () => {
  let archive: ChildProcess;
  let dir: string;
  let port: number;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nt-tls-archive-'));
    port = await freePort();
    // storescp over TLS requires (and verifies) a client certificate by default.
    archive = spawn(
      'storescp',
      [
        ...['--output-directory', dir, '--aetitle', 'ARCHIVE'],
        ...['+tls', pki.server.key, pki.server.cert, '+cf', pki.ca],
        String(port),
      ],
      { stdio: 'ignore' },
    );
    await waitFor(async () => {
      const r = await runCommand('echoscu', [
        ...['-aec', 'ARCHIVE', ...tlsArgs(pki.client)],
        ...['127.0.0.1', String(port)],
      ]);
      return r.code === 0;
    }, 10_000);
  });
  after(() => {
    archive.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const push = (tls: Parameters<typeof storeFiles>[0]['tls'], paths: readonly string[]) =>
    storeFiles({
      destination: { aeTitle: 'ARCHIVE', host: '127.0.0.1', port },
      callingAeTitle: AE,
      paths,
      tls,
      timeoutMs: 10_000,
    });

  it('stores into a TLS archive with our certificate, verified against the CA', async () => {
    const paths = writeTempFiles(smallHeadCtDicom('push-tls').slice(0, 3));
    const tls = loadServiceTls({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca });
    await push(tls, paths);
    assert.equal(readdirSync(dir).length, 3);
  });

  it('fails a push to an archive it cannot verify, and a plain push to the TLS port', async () => {
    const paths = writeTempFiles(smallHeadCtDicom('push-tls-refused').slice(0, 1));
    // No --tls-ca: the throw-away CA is not among Node's public ones.
    const untrusting = loadServiceTls({ cert: pki.server.cert, key: pki.server.key });
    await assert.rejects(push(untrusting, paths), { name: 'PushError' });
    await assert.rejects(push(undefined, paths), { name: 'PushError' });
    assert.equal(readdirSync(dir).length, 3, 'nothing more stored');
  });
});
