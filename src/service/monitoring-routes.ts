/**
 * `GET /monitoring` (token): per scanner and ISO week, the outcome counts, the median positive
 * lesion volume and the median time to result (monitoring.ts), so a site sees drift;
 * audit-logged like other reads.
 */
import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from './service-context.js';

export function registerMonitoringRoutes(app: FastifyInstance, context: ServiceContext): void {
  const { audit, monitoring } = context;
  app.get(
    '/monitoring',
    {
      schema: {
        summary:
          'Per scanner (manufacturer, model, station) and ISO week: outcome counts, median positive lesion mL, median seconds to result',
      },
    },
    async (request) => {
      const rows = monitoring.rows();
      audit.record({
        tokenId: request.tokenId,
        method: request.method,
        route: '/monitoring',
        statusCode: 200,
      });
      return { rows };
    },
  );
}
