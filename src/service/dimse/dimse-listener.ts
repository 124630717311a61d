/**
 * The DICOM port: our own `net.Server`, bound to the service's host (127.0.0.1 by default),
 * that hands each connection to a `StoreScp`. (dcmjs-dimse's `Server.listen` binds every
 * interface, so it is not used.) With `tls`, a TLS server (dicom-server.ts). `close` stops
 * listening and ends open associations.
 */
import type { Server, Socket } from 'node:net';
import type { ServiceTls } from '../tls-options.js';
import { createDicomServer } from './dicom-server.js';
import type { ServiceLog } from './service-log.js';
import { StoreScp, type StoreScpConfig } from './store-scp.js';

export interface DicomListener {
  /** The bound port (the free one picked when asked for 0). */
  readonly port: number;
  close(): Promise<void>;
}

export interface DicomListenerOptions extends StoreScpConfig {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly log: ServiceLog;
  /** DICOM over TLS (dicom-server.ts); absent: plain TCP. */
  readonly tls?: ServiceTls | undefined;
}

export async function listenDicom(options: DicomListenerOptions): Promise<DicomListener> {
  const sockets = new Set<Socket>();
  const server: Server = createDicomServer(options, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const scp = new StoreScp(socket, options);
    scp.on('networkError', (e: Error) => {
      options.log.warn({ error: e.message }, 'dicom network error');
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e) => options.log.error({ error: e.message }, 'dicom server error'));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
