/**
 * Test helpers for the alerts: a local HTTP receiver (node:http) on a free port of 127.0.0.1
 * that records each request's headers and raw body and answers with the status its `answer`
 * picks (by the request's number, 1, 2, …), a port where nothing listens, and polling.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body exactly as received. */
  readonly raw: Buffer;
}

export interface Receiver {
  readonly url: string;
  readonly port: number;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startReceiver(
  options: { readonly port?: number; readonly answer?: (n: number) => number } = {},
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      requests.push({
        path: request.url ?? '',
        headers: request.headers,
        raw: Buffer.concat(chunks),
      });
      response.statusCode = options.answer?.(requests.length) ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port of 127.0.0.1 where nothing listens (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const r = await startReceiver();
  await r.close();
  return r.port;
}

/** Whether `X-NeuroTriage-Signature` is the HMAC of "<timestamp>.<event>.<raw body>". */
export function validSignature(secret: string, request: ReceivedRequest): boolean {
  const timestamp = String(request.headers['x-neurotriage-timestamp']);
  const event = String(request.headers['x-neurotriage-event']);
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret)
      .update(`${timestamp}.${event}.`)
      .update(request.raw)
      .digest('hex')}`,
  );
  const got = Buffer.from(String(request.headers['x-neurotriage-signature']));
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** Polls `check` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The JSON body of a received request. */
export function bodyOf<T = Record<string, unknown>>(request: ReceivedRequest): T {
  return JSON.parse(request.raw.toString('utf8')) as T;
}
