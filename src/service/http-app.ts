/**
 * The HTTP API on Fastify 5: bearer-token authentication on every route but `/health`, errors as
 * `{ error }` JSON (input problems 4xx with their one-line message, anything else 500 without
 * internals; a full data folder 507, disk-full.ts), the OpenAPI document at `/openapi.json`
 * (@fastify/swagger), multipart uploads (@fastify/multipart) and the routes (study-routes.ts,
 * admin-routes.ts, alert-routes.ts, review-routes.ts, worklist-events.ts, the viewer's static files:
 * viewer-routes.ts, DICOMweb under `/dicomweb`: dicomweb/dicomweb-routes.ts). With `tls`, HTTPS
 * (tls-options.ts).
 */
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { isUserInputError } from '../core/errors.js';
import { registerAdminRoutes } from './admin-routes.js';
import { registerAlertRoutes } from './alert-routes.js';
import {
  INSUFFICIENT_STORAGE,
  REQUEST_DISK_FULL_MESSAGE,
  UPLOAD_DISK_FULL_MESSAGE,
  isDiskFullError,
} from './disk-full.js';
import { DICOMWEB_TAG, registerDicomwebRoutes } from './dicomweb/dicomweb-routes.js';
import { registerMonitoringRoutes } from './monitoring-routes.js';
import { registerReviewRoutes } from './review-routes.js';
import type { ServiceContext } from './service-context.js';
import { registerViewerRoutes, VIEWER_ROUTES } from './viewer-routes.js';
import { ASSET_ROUTES, registerAssetRoutes } from './asset-routes.js';
import { registerWorklistEvents } from './worklist-events.js';
import { registerStudyRoutes } from './study-routes.js';
import { type ServiceTls, tlsServerOptions } from './tls-options.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The id of the token that authenticated the request ('' on `/health`). */
    tokenId: string;
  }
}

const PUBLIC_ROUTES = new Set(['/health', ...VIEWER_ROUTES, ...ASSET_ROUTES]);

export async function buildHttpApp(
  context: ServiceContext,
  logger: FastifyServerOptions['logger'],
  tls?: ServiceTls,
): Promise<FastifyInstance> {
  // With TLS, Fastify serves HTTPS; its instance differs from the HTTP one only in the server
  // type, which no route uses.
  const app = (
    tls
      ? Fastify({ logger, forceCloseConnections: true, https: tlsServerOptions(tls) })
      : Fastify({ logger, forceCloseConnections: true })
  ) as FastifyInstance;
  app.decorateRequest('tokenId', '');
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'NeuroTriage service',
        version: '1',
        description: 'Stroke imaging triage. Research use only; not a medical device.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
      tags: [DICOMWEB_TAG],
    },
  });
  await app.register(multipart, {
    limits: {
      fileSize: context.limits.maxUploadBytes,
      files: context.limits.maxFiles,
      fields: 0,
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    if (PUBLIC_ROUTES.has(request.routeOptions.url ?? '')) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const tokenId = match ? context.tokens.verify(match[1]!) : undefined;
    if (!tokenId)
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: match ? 'unknown or revoked token' : 'missing bearer token' });
    request.tokenId = tokenId;
  });

  app.setErrorHandler((error: unknown, request, reply) => {
    // Uploads (what they staged is removed) and audit rows write (disk-full.ts).
    if (isDiskFullError(error))
      return reply.code(INSUFFICIENT_STORAGE).send({
        error: request.method === 'POST' ? UPLOAD_DISK_FULL_MESSAGE : REQUEST_DISK_FULL_MESSAGE,
      });
    const statusCode = (error as { statusCode?: unknown }).statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500)
      return reply.code(statusCode).send({ error: (error as Error).message });
    if (isUserInputError(error)) return reply.code(400).send({ error: error.message });
    request.log.error(error);
    return reply.code(500).send({ error: 'internal error' });
  });

  registerAdminRoutes(app, context);
  registerAlertRoutes(app, context);
  registerMonitoringRoutes(app, context);
  registerStudyRoutes(app, context);
  await registerReviewRoutes(app, context);
  registerWorklistEvents(app, context);
  registerAssetRoutes(app, context.assets ?? {});
  await registerViewerRoutes(app);
  await registerDicomwebRoutes(app, context);
  return app;
}
