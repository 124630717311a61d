/**
 * The C-STORE SCP over TLS (`serve --dicom-tls`), driven with dcmtk on a throw-away PKI
 * (openssl): `echoscu` and `storescu` with TLS that trust the CA are served (the sent CT series
 * becomes one study), a plain `echoscu` is not; with a client CA (mutual TLS) a client certificate
 * the CA signed is served, one from another CA and none are refused.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  type StudyJson,
  type TestService,
  smallHeadCtDicom,
  startTestService,
} from '../test-fixtures.js';
import { loadServiceTls } from '../tls-options.js';
import { type KeyPair, type TestPki, makeTestPki } from '../tls-test-helpers.js';
import { removeTempFiles, runCommand, waitFor, writeTempFiles } from './dimse-test-helpers.js';

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
