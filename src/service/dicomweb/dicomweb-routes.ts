/**
 * DICOMweb under `/dicomweb`, behind the same bearer token as the rest of the API: STOW-RS
 * (stow.ts), QIDO-RS (qido.ts), WADO-RS (wado.ts), over the instance index (instance-index.ts).
 *
 * An encapsulated Fastify plugin: its `multipart/related` body parser (the whole body as one
 * Buffer, refused with 413 past the upload limit) applies to these routes only. Its routes log
 * at `warn`: Fastify's request log lines carry the URL, and a QIDO URL can carry a PatientID.
 * The index uses its own connection to the service's SQLite file (WAL: readers and the one
 * writer at a time never see half a transaction), closed with the server.
 */
import type { FastifyInstance } from 'fastify';
import { openDatabase } from '../database.js';
import type { ServiceContext } from '../service-context.js';
import { DICOMWEB_PREFIX, type DicomwebContext } from './dicomweb-context.js';
import { InstanceIndex } from './instance-index.js';
import { registerQidoRoutes } from './qido.js';
import { registerStowRoutes } from './stow.js';
import { registerWadoRoutes } from './wado.js';

export const DICOMWEB_TAG = {
  name: 'DICOMweb',
  description:
    'STOW-RS, QIDO-RS and WADO-RS (PS3.18) under /dicomweb: the received instances and the DICOM results (SEG, SR, key images)',
};

export async function registerDicomwebRoutes(
  app: FastifyInstance,
  service: ServiceContext,
): Promise<void> {
  const db = openDatabase(service.artefacts.databasePath);
  app.addHook('onClose', async () => db.close());
  const context: DicomwebContext = {
    index: new InstanceIndex({ db, artefacts: service.artefacts }),
    intake: service.intake,
    audit: service.audit,
    limits: service.limits,
  };
  await app.register(
    async (scope) => {
      scope.addContentTypeParser(
        'multipart/related',
        { parseAs: 'buffer', bodyLimit: service.limits.maxUploadBytes },
        (_request, body, done) => done(null, body),
      );
      registerStowRoutes(scope, context);
      registerQidoRoutes(scope, context);
      registerWadoRoutes(scope, context);
    },
    { prefix: DICOMWEB_PREFIX, logLevel: 'warn' },
  );
}
