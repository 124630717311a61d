/**
 * `GET /events`: server-sent events of every study's status changes (`event: study`, the study as
 * `GET /studies/:id` shows it), for a worklist that updates without a reload. A client reads
 * `GET /worklist` after opening the stream, so that no change falls between the two. Each
 * opened stream is one audit row (the stream itself: event-stream.ts).
 */
import type { FastifyInstance } from 'fastify';
import { EventStreams } from './event-stream.js';
import type { ServiceContext } from './service-context.js';
import { studyView } from './study-view.js';

export function registerWorklistEvents(app: FastifyInstance, context: ServiceContext): void {
  const { hub, audit, artefacts } = context;
  const streams = new EventStreams(app);

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
      const cleanups: (() => void)[] = [];
      const stream = streams.start(request, reply, () => cleanups.forEach((f) => f()));
      stream.comment('worklist events');
      cleanups.push(
        hub.subscribeAll((study) =>
          stream.send('study', studyView(study, artefacts.outputNames(study.id))),
        ),
      );
      return reply;
    },
  );
}
