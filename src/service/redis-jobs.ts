/**
 * What the serving process and the Redis workers share (BullMQ): the queue name, the job's
 * data, its progress and its return value, and the connection options from a `redis://` URL.
 * The BullMQ job id is our study id, so the same study enqueued twice is one BullMQ job while it
 * waits or runs; finished jobs are removed, so a study enqueued again after a restart runs once
 * more and finds its committed result (analyse-stored-study.ts): one result.
 */
import { UserInputError } from '../core/errors.js';
import type { JobProgress, QueuedJob } from './queue.js';
import type { JobOutcome } from './study-store.js';

export const ANALYSIS_QUEUE = 'neurotriage-analysis';
export const ANALYSIS_JOB = 'analyse';

export type RedisJobData = QueuedJob;
export type RedisJobProgress = Pick<JobProgress, 'stage' | 'fraction'>;
export interface RedisJobReturn {
  readonly outcome: JobOutcome;
  readonly durationMs: number;
}

export interface RedisConnectionOptions {
  readonly url: string;
  /** BullMQ workers need blocking commands without a retry limit. */
  readonly maxRetriesPerRequest: null;
}

/** Checks a `redis://` or `rediss://` URL; throws `UserInputError` otherwise. */
export function redisConnection(url: string): RedisConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserInputError(`--redis must be a redis:// URL, got '${url}'`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new UserInputError(`--redis must be a redis:// or rediss:// URL, got ${parsed.protocol}`);
  return { url, maxRetriesPerRequest: null };
}

/** host:port of a Redis URL, for logs (never its password). */
export function redisAddress(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '6379'}`;
}
