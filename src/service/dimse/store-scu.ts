/**
 * One C-STORE association to a destination (dcmjs-dimse `Client`): sends Part 10 files and
 * resolves when every one was answered with success (or a warning, 0xB…); rejects with a
 * `PushError` on a refused association, a network error (a refused TLS handshake too), a timeout
 * or a failure status. With `tls`, over TLS.
 */
import { type ServiceTls, tlsClientOptions } from '../tls-options.js';
import { type DicomDestination, destinationName } from './ae-title.js';
import { Client, requests } from './dimse-lib.js';

export class PushError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PushError';
  }
}

export interface StoreFilesOptions {
  readonly destination: DicomDestination;
  /** Our AE title (the calling one). */
  readonly callingAeTitle: string;
  readonly paths: readonly string[];
  /** Connect, association and PDU timeouts. */
  readonly timeoutMs?: number;
  /** Over TLS (`--push-tls`): our certificate, the destination verified against the CA. */
  readonly tls?: ServiceTls | undefined;
}

export function storeFiles(options: StoreFilesOptions): Promise<void> {
  const { destination, paths } = options;
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise<void>((resolve, reject) => {
    const client = new Client();
    const failures: string[] = [];
    let answered = 0;
    let error: string | undefined;
    for (const path of paths) {
      const request = new requests.CStoreRequest(path);
      request.on('response', (response: { getStatus(): number }) => {
        answered++;
        const status = response.getStatus();
        if (status !== 0 && (status & 0xf000) !== 0xb000)
          failures.push(`status 0x${status.toString(16).padStart(4, '0')}`);
      });
      client.addRequest(request);
    }
    client.on('associationRejected', (r: { reason: number }) => {
      error = `association rejected (reason ${r.reason})`;
    });
    client.on('networkError', (e: Error) => {
      error ??= `network error: ${e.message}`;
    });
    client.on('closed', () => {
      const name = destinationName(destination);
      if (error) reject(new PushError(`${name}: ${error}`));
      else if (failures.length > 0) reject(new PushError(`${name}: ${failures.join(', ')}`));
      else if (answered < paths.length)
        reject(new PushError(`${name}: ${paths.length - answered} of ${paths.length} unanswered`));
      else resolve();
    });
    try {
      client.send(destination.host, destination.port, options.callingAeTitle, destination.aeTitle, {
        connectTimeout: timeoutMs,
        associationTimeout: timeoutMs,
        pduTimeout: timeoutMs,
        ...(options.tls && { securityOptions: tlsClientOptions(options.tls) }),
      });
    } catch (e) {
      reject(new PushError(e instanceof Error ? e.message : String(e)));
    }
  });
}
