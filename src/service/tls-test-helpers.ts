/**
 * Test helpers for TLS: a throw-away PKI made with the `openssl` CLI in a fresh folder: a CA, a
 * server certificate for 127.0.0.1/localhost, a client certificate it signed, and a client
 * certificate signed by another CA (untrusted). RSA 2048 keys (dcmtk's default TLS profile,
 * BCP 195, refuses smaller ones), valid for two days. And a GET over HTTPS (or plain HTTP) with
 * a given CA and client certificate (`fetch` takes neither).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
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
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth',
    ),
    client: makeLeaf(dir, 'client', ca, 'extendedKeyUsage=clientAuth'),
    untrustedClient: makeLeaf(dir, 'intruder', other, 'extendedKeyUsage=clientAuth'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface GetResult {
  readonly status: number;
  readonly body: string;
}

export interface GetOptions {
  /** PEM path of the CA to trust (instead of the system's). */
  readonly ca?: string;
  /** A client certificate to present. */
  readonly client?: KeyPair;
  readonly headers?: Record<string, string>;
}

/** GET `url` (https: or http:); rejects on a connection or TLS error. */
export function get(url: string, options: GetOptions = {}): Promise<GetResult> {
  const tls = {
    ...(options.ca !== undefined && { ca: readFileSync(options.ca) }),
    ...(options.client && {
      cert: readFileSync(options.client.cert),
      key: readFileSync(options.client.key),
    }),
  };
  return new Promise((resolve, reject) => {
    const onResponse = (response: import('node:http').IncomingMessage) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    };
    const headers = options.headers ?? {};
    const request = url.startsWith('https:')
      ? httpsRequest(url, { ...tls, headers, agent: false }, onResponse)
      : httpRequest(url, { headers, agent: false }, onResponse);
    request.setTimeout(10_000, () => request.destroy(new Error('timed out')));
    request.on('error', reject);
    request.end();
  });
}
