/**
 * `GET /alerts` (token): the latest alert deliveries and their states, newest first, for
 * monitoring; endpoints shown without query or user info; audit-logged like other reads.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { endpointLabel } from './alert-delivery.js';
import type { ServiceContext } from './service-context.js';

export function registerAlertRoutes(app: FastifyInstance, context: ServiceContext): void {
  const { alertOutbox, audit } = context;
  app.get(
    '/alerts',
    {
      schema: {
        summary: 'Recent alert deliveries (webhooks, FHIR) and their states, newest first',
        querystring: {
          type: 'object',
          properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
        },
      },
    },
    async (request: FastifyRequest<{ Querystring: { limit: number } }>) => {
      const deliveries = alertOutbox.recent(request.query.limit);
      audit.record({
        tokenId: request.tokenId,
        method: request.method,
        route: '/alerts',
        statusCode: 200,
      });
      return {
        deliveries: deliveries.map((d) => ({
          id: d.id,
          studyId: d.studyId,
          event: d.event,
          kind: d.kind,
          endpoint: endpointLabel(d.endpoint),
          state: d.state,
          attempts: d.attempts,
          nextAttemptAt: d.state === 'pending' ? d.nextAttemptAt : null,
          lastError: d.lastError,
          createdAt: d.createdAt,
          updatedAt: d.updatedAt,
        })),
      };
    },
  );
}
