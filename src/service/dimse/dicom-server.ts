/**
 * The server behind the DICOM port: a plain `net.Server`, or with TLS (`serve --dicom-tls`) a
 * `tls.Server` with the service's certificate (and, with `--tls-ca`, required client
 * certificates). Either hands each connection (a `TLSSocket` once its handshake succeeded) to the
 * same handler; dcmjs-dimse's own `Server` hands its `Scp` a `TLSSocket` the same way. A refused
 * handshake (a plain DICOM client, an untrusted client certificate) is logged with its reason only.
 */
import { type Server, type Socket, createServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { type ServiceTls, tlsServerOptions } from '../tls-options.js';
import type { ServiceLog } from './service-log.js';

export function createDicomServer(
  options: { readonly tls?: ServiceTls | undefined; readonly log: ServiceLog },
  onConnection: (socket: Socket) => void,
): Server {
  if (!options.tls) return createServer(onConnection);
  const server = createTlsServer(tlsServerOptions(options.tls), onConnection);
  // OpenSSL's `reason` is the short one ("peer did not return a certificate"); its message is
  // several lines with source paths.
  server.on('tlsClientError', (e: Error & { reason?: string }) =>
    options.log.warn({ error: e.reason ?? e.message.trim() }, 'dicom tls handshake refused'),
  );
  return server;
}
