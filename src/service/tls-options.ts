/**
 * Optional TLS for the service (`serve --tls-cert FILE --tls-key FILE [--tls-ca FILE]`): the PEM
 * files read and checked once at start (a certificate, an unencrypted private key that matches
 * it, a CA certificate), so a bad file is one clear line before anything listens; and the Node
 * `tls` server options the HTTPS API and the DICOM TLS port share. With a CA, clients must
 * present a certificate it signed (mutual TLS). The client options of the DICOM pushes
 * (`--push-tls`): our certificate as the client's, the destination verified against the CA.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { type TlsOptions, createSecureContext } from 'node:tls';
import { UserInputError } from '../core/errors.js';

/** The PEM files as given on the command line. */
export interface TlsFiles {
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly ca?: string | undefined;
}

/** Checked PEM contents. */
export interface ServiceTls {
  /** Our certificate (chain), PEM. */
  readonly cert: Buffer;
  /** Its private key, PEM, unencrypted. */
  readonly key: Buffer;
  /**
   * The site CA (`--tls-ca`): clients must present a certificate it signed (mutual TLS), and
   * `--push-tls` destinations are verified against it (absent: Node's public CAs).
   */
  readonly ca?: Buffer;
}

/** A TLS handshake that does not finish in this time is dropped. */
export const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

function readPem(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new UserInputError(`${flag} ${path}: cannot read the file (${code})`);
  }
}

function parseCertificate(flag: string, path: string, pem: Buffer): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new UserInputError(`${flag} ${path}: not a PEM certificate`);
  }
}

/**
 * Reads and checks the files; undefined when neither certificate nor key is given. Throws a
 * `UserInputError` (one line) for one of cert/key without the other, a CA without them, an
 * unreadable file, a file that is not PEM, an encrypted key, or a key that does not match.
 */
export function loadServiceTls(files: TlsFiles): ServiceTls | undefined {
  if (files.cert === undefined && files.key === undefined) {
    if (files.ca !== undefined)
      throw new UserInputError('--tls-ca needs --tls-cert and --tls-key (TLS is off without them)');
    return undefined;
  }
  if (files.cert === undefined || files.key === undefined)
    throw new UserInputError('--tls-cert and --tls-key go together: give both or neither');
  const cert = readPem('--tls-cert', files.cert);
  const key = readPem('--tls-key', files.key);
  const certificate = parseCertificate('--tls-cert', files.cert, cert);
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new UserInputError(`--tls-key ${files.key}: not an unencrypted PEM private key`);
  }
  if (!certificate.checkPrivateKey(privateKey))
    throw new UserInputError(`--tls-key ${files.key}: does not match the --tls-cert certificate`);
  let ca: Buffer | undefined;
  if (files.ca !== undefined) {
    ca = readPem('--tls-ca', files.ca);
    parseCertificate('--tls-ca', files.ca, ca);
  }
  const tls: ServiceTls = { cert, key, ...(ca && { ca }) };
  try {
    createSecureContext(tlsServerOptions(tls));
  } catch (e) {
    throw new UserInputError(`TLS files refused: ${e instanceof Error ? e.message : String(e)}`);
  }
  return tls;
}

/** Node `tls` server options: TLS 1.2 or newer; with a CA, a client certificate is required. */
export function tlsServerOptions(tls: ServiceTls): TlsOptions {
  return {
    cert: tls.cert,
    key: tls.key,
    minVersion: 'TLSv1.2',
    handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS,
    ...(tls.ca && { ca: tls.ca, requestCert: true, rejectUnauthorized: true }),
  };
}

/** The client side (a DICOM push): our certificate, TLS 1.2 or newer, the server verified. */
export function tlsClientOptions(tls: ServiceTls): {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
  rejectUnauthorized: true;
  minVersion: 'TLSv1.2';
} {
  return {
    cert: tls.cert,
    key: tls.key,
    ...(tls.ca && { ca: tls.ca }),
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
  };
}
