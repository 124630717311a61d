/**
 * The service's other routes: `/health` (no authentication: for load balancers and probes),
 * `/worklist` (studies by triage priority, then arrival), `/metrics` (Prometheus text) and
 * `/openapi.json` (the API, from the routes' schemas).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { prometheusText } from './metrics.js';
import type { ServiceContext } from './service-context.js';
import { studyView } from './study-view.js';

export function registerAdminRoutes(app: FastifyInstance, context: ServiceContext): void {
  const { store, audit, queue } = context;

  app.get(
    '/health',
    { schema: { summary: 'Liveness (no token needed)', security: [] } },
    async () => ({
      status: 'ok',
      mode: context.shadow === true ? 'shadow' : 'live',
      queue: { waiting: queue.waiting, running: queue.running },
    }),
  );

  app.get(
    '/worklist',
    {
      schema: {
        summary:
          'Studies by triage priority (positive, then not assessable, then not-analysed/failed, then pending, then negative), then arrival',
        querystring: {
          type: 'object',
          properties: { limit: { type: 'integer', minimum: 1, maximum: 5000, default: 500 } },
        },
      },
    },
    async (request: FastifyRequest<{ Querystring: { limit: number } }>) => {
      const studies = store.worklist(request.query.limit);
      audit.record({
        tokenId: request.tokenId,
        method: request.method,
        route: '/worklist',
        statusCode: 200,
      });
      return { studies: studies.map((s) => studyView(s)) };
    },
  );

  app.get('/metrics', { schema: { summary: 'Prometheus metrics' } }, async (_request, reply) =>
    reply.type('text/plain; version=0.0.4').send(
      prometheusText({
        studies: store.countsByStatus(),
        analysisDurationsMs: store.analysisDurationsMs(),
        queue: { waiting: queue.waiting, running: queue.running },
      }),
    ),
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
