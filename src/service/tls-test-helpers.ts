/**
 * Test helpers for TLS: a throw-away PKI made with the `openssl` CLI in a fresh folder: a CA, a
 * server certificate for 127.0.0.1/localhost, a client certificate it signed, and a client
 * certificate signed by another CA (untrusted). RSA 2048 keys (dcmtk's default TLS profile,
 * BCP 195, refuses smaller ones), valid for two days.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  readonly cert: string;
  readonly key: string;
}

export interface TestPki {
  readonly dir: string;
  /** The CA certificate (PEM path) that signed `server` and `client`. */
  readonly ca: string;
  readonly server: KeyPair;
  readonly client: KeyPair;
  /** Signed by another CA. */
  readonly untrustedClient: KeyPair;
  remove(): void;
}

function openssl(dir: string, args: readonly string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string): KeyPair {
  const pair = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  openssl(dir, [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`,
    '-keyout', pair.key, '-out', pair.cert,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]); // prettier-ignore
  return pair;
}

function makeLeaf(dir: string, name: string, ca: KeyPair, extensions: string): KeyPair {
  const pair = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, `basicConstraints=CA:FALSE\n${extensions}\n`);
  openssl(dir, [
    'req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`,
    '-keyout', pair.key, '-out', csr,
  ]); // prettier-ignore
  openssl(dir, [
    'x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial',
    '-days', '2', '-extfile', ext, '-out', pair.cert,
  ]); // prettier-ignore
  return pair;
}

/** Makes the PKI; `remove()` deletes its folder. */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'nt-tls-'));
  const ca = makeCa(dir, 'nt-test-ca');
  const other = makeCa(dir, 'other-ca');
  return {
    dir,
    ca: ca.cert,
    server: makeLeaf(
      dir,
      'server',
      ca,
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth',
    ),
    client: makeLeaf(dir, 'client', ca, 'extendedKeyUsage=clientAuth'),
    untrustedClient: makeLeaf(dir, 'intruder', other, 'extendedKeyUsage=clientAuth'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
