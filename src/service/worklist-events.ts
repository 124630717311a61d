/**
 * `GET /events`: server-sent events of every study's status changes (`event: study`, the study as
 * `GET /studies/:id` shows it), for a worklist that updates without a reload. A client reads
 * `GET /worklist` after opening the stream, so that no change falls between the two. Each
 * opened stream is one audit row; a heartbeat comment keeps proxies from closing an idle stream.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from './service-context.js';
import { studyView } from './study-view.js';

const HEARTBEAT_MS = 15_000;

export function registerWorklistEvents(app: FastifyInstance, context: ServiceContext): void {
  const { hub, audit, artefacts } = context;
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const s of streams) s.end();
  });

  app.get(
    '/events',
    { schema: { summary: 'Server-sent events: every study status change (worklist updates)' } },
    async (request, reply) => {
      audit.record({
        tokenId: request.tokenId,
        method: request.method,
        route: '/events',
        statusCode: 200,
      });
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      streams.add(raw);
      raw.write(': worklist events\n\n');
      const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), HEARTBEAT_MS);
      const unsubscribe = hub.subscribeAll((study) =>
        raw.write(
          `event: study\ndata: ${JSON.stringify(studyView(study, artefacts.outputNames(study.id)))}\n\n`,
        ),
      );
      request.raw.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(raw);
        raw.end();
      });
      return reply;
    },
  );
}
