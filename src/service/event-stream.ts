/**
 * Server-sent event streams of the HTTP API (`GET /studies/:id/events`, `GET /events`): the
 * reply is hijacked as `text/event-stream`, a heartbeat comment every 15 s keeps proxies from
 * closing an idle stream, and every open stream ends when the client goes or the server closes.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const HEARTBEAT_MS = 15_000;

export interface EventStream {
  /** One event: `event: <name>` and its data as JSON. */
  send(event: string, data: unknown): void;
  /** A comment line (ignored by clients). */
  comment(text: string): void;
  /** Ends the stream (once; also when the client goes). */
  close(): void;
}

/** The event streams of one set of routes, ended when `app` closes. */
export class EventStreams {
  private readonly open = new Set<ServerResponse>();

  constructor(app: FastifyInstance) {
    app.addHook('preClose', async () => {
      for (const s of this.open) s.end();
    });
  }

  /** Starts a stream on `reply`; `onClose` runs once when it ends, however it ends. */
  start(request: FastifyRequest, reply: FastifyReply, onClose: () => void): EventStream {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    this.open.add(raw);
    const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), HEARTBEAT_MS);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      onClose();
      this.open.delete(raw);
      raw.end();
    };
    request.raw.on('close', close);
    return {
      send: (event, data) => void raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
      comment: (text) => void raw.write(`: ${text}\n\n`),
      close,
    };
  }
}
