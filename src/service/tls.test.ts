/**
 * HTTPS as a user checks it, on a throw-away PKI (openssl): the service started with a
 * certificate says https, serves `/health` and (with a token) `/worklist` to a client that trusts
 * the CA, and nothing to a plain-HTTP request on the same port or to a client that does not trust
 * the CA; with a client CA (mutual TLS) a client certificate it signed is served, one signed by
 * another CA or none is refused. Bad TLS files are refused with one clear line.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type TestService, startTestService } from './test-fixtures.js';
import { loadServiceTls } from './tls-options.js';
import { type TestPki, get, makeTestPki } from './tls-test-helpers.js';

let pki: TestPki;
before(() => {
  pki = makeTestPki();
});
after(() => pki.remove());

async function startTls(withClientCa: boolean): Promise<TestService> {
  const tls = loadServiceTls({
    cert: pki.server.cert,
    key: pki.server.key,
    ...(withClientCa && { ca: pki.ca }),
  });
  return startTestService({ workers: 0, ...(tls && { tls }) });
}

async function stop(t: TestService): Promise<void> {
  await t.service.close();
  rmSync(t.dataDir, { recursive: true, force: true });
}

describe('HTTPS (--tls-cert, --tls-key)', () => {
  let t: TestService;
  before(async () => {
    t = await startTls(false);
  });
  after(() => stop(t));

  it('says https and serves /health and, with the token, /worklist', async () => {
    assert.match(t.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await get(`${t.url}/health`, { ca: pki.ca });
    assert.equal(health.status, 200);
    assert.equal((JSON.parse(health.body) as { status: string }).status, 'ok');
    const list = await get(`${t.url}/worklist`, { ca: pki.ca, headers: t.auth });
    assert.equal(list.status, 200);
    assert.deepEqual(JSON.parse(list.body), { studies: [] });
    assert.equal((await get(`${t.url}/worklist`, { ca: pki.ca })).status, 401);
  });

  it('answers nothing to plain HTTP on the TLS port', async () => {
    await assert.rejects(get(`${t.url.replace('https:', 'http:')}/health`));
  });

  it('is refused by a client that does not trust the CA', async () => {
    await assert.rejects(get(`${t.url}/health`), /self[- ]signed|unable to verify|certificate/i);
  });
});

describe('mutual TLS (--tls-ca)', () => {
  let t: TestService;
  before(async () => {
    t = await startTls(true);
  });
  after(() => stop(t));

  it('serves a client certificate the CA signed', async () => {
    const list = await get(`${t.url}/worklist`, {
      ca: pki.ca,
      client: pki.client,
      headers: t.auth,
    });
    assert.equal(list.status, 200);
  });

  it('refuses a client certificate from another CA, and no certificate', async () => {
    await assert.rejects(get(`${t.url}/health`, { ca: pki.ca, client: pki.untrustedClient }));
    await assert.rejects(get(`${t.url}/health`, { ca: pki.ca }));
  });
});

describe('loadServiceTls: bad TLS files are one clear line', () => {
  it('is off without files, and needs both certificate and key', () => {
    assert.equal(loadServiceTls({}), undefined);
    assert.throws(
      () => loadServiceTls({ cert: pki.server.cert }),
      /^UserInputError: --tls-cert and --tls-key go together/,
    );
    assert.throws(() => loadServiceTls({ key: pki.server.key }), /go together/);
    assert.throws(() => loadServiceTls({ ca: pki.ca }), /--tls-ca needs --tls-cert and --tls-key/);
  });

  it('names an unreadable file, a file that is not PEM, and a key of another certificate', () => {
    const missing = join(pki.dir, 'missing.pem');
    assert.throws(
      () => loadServiceTls({ cert: missing, key: pki.server.key }),
      (e: Error) => e.message === `--tls-cert ${missing}: cannot read the file (ENOENT)`,
    );
    const garbage = join(pki.dir, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate\n');
    assert.throws(
      () => loadServiceTls({ cert: garbage, key: pki.server.key }),
      /--tls-cert .*garbage\.pem: not a PEM certificate$/,
    );
    assert.throws(
      () => loadServiceTls({ cert: pki.server.cert, key: garbage }),
      /--tls-key .*garbage\.pem: not an unencrypted PEM private key$/,
    );
    assert.throws(
      () => loadServiceTls({ cert: pki.server.cert, key: pki.client.key }),
      /--tls-key .*client\.key: does not match the --tls-cert certificate$/,
    );
    assert.throws(
      () => loadServiceTls({ cert: pki.server.cert, key: pki.server.key, ca: garbage }),
      /--tls-ca .*garbage\.pem: not a PEM certificate$/,
    );
  });
});
