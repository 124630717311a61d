/**
 * Start-up against Redis within a bounded time. BullMQ's clients retry a connection for ever
 * (`maxRetriesPerRequest: null`, as workers need) and cannot be closed before they connected, so
 * `serve --redis` and `neurotriage worker` would hang on an unreachable Redis. `waitForRedis`
 * first connects a plain client (retrying) for at most `timeoutMs`, then closes it; past the
 * time it throws a `RedisUnreachableError` naming the address (never a password) and the last
 * connection error, in one line. The BullMQ clients are made only after it answered.
 */
import { Redis } from 'ioredis';
import { UserInputError } from '../core/errors.js';
import { redisAddress } from './redis-jobs.js';

/** `--redis-timeout-s`' default. */
export const DEFAULT_REDIS_TIMEOUT_MS = 10_000;
/** Between connection attempts while waiting. */
const RETRY_MS = 250;

export class RedisUnreachableError extends UserInputError {
  override readonly name = 'RedisUnreachableError';
  constructor(url: string, why: string) {
    super(`cannot reach redis at ${redisAddress(url)} (${why})`, 'redis-unreachable');
  }
}

export async function waitForRedis(options: {
  readonly url: string;
  readonly timeoutMs: number;
}): Promise<void> {
  const client = new Redis(options.url, {
    lazyConnect: true,
    connectTimeout: options.timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => RETRY_MS,
  });
  let lastError: string | undefined;
  client.on('error', (e: Error) => (lastError = (e.message.split('\n')[0] ?? '').trim()));
  let timer: NodeJS.Timeout | undefined;
  try {
    const ready = await Promise.race([
      new Promise<true>((resolve) => {
        client.once('ready', () => resolve(true));
        client.connect().catch(() => undefined); // retried; the last error is kept
      }),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), options.timeoutMs);
      }),
    ]);
    if (!ready)
      throw new RedisUnreachableError(
        options.url,
        lastError || `no answer within ${options.timeoutMs / 1000} s`,
      );
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
