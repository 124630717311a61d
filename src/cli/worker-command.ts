/**
 * `neurotriage worker --redis redis://host:port --data DIR [--concurrency 1] [--threads N]
 * [--model DIR] [--reference-data DIR] [--lock-ms 30000] [--stalled-interval-ms 30000]
 * [--redis-timeout-s 10]`: a
 * stateless analysis worker for `serve --redis` (service/redis-worker.ts), until SIGINT/SIGTERM
 * (it finishes the jobs it runs first). `DIR` is the serving process's data folder (shared
 * storage). Logs JSON lines with study ids, statuses and durations only.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { UserInputError } from '../core/errors.js';
import { redisAddress, redisConnection } from '../service/redis-jobs.js';
import { startRedisWorker } from '../service/redis-worker.js';
import { jsonLineLog } from './json-line-log.js';
import { RESEARCH_NOTICE } from './notice.js';
import { untilSignalled } from './until-signalled.js';

export interface WorkerOptions {
  readonly redis: string;
  readonly data: string;
  readonly concurrency: number;
  readonly threads?: number;
  readonly model?: string;
  readonly referenceData?: string;
  readonly lockMs: number;
  readonly stalledIntervalMs: number;
  /** Seconds Redis may take to answer at start-up. */
  readonly redisTimeoutS: number;
}

export async function runWorker(options: WorkerOptions): Promise<void> {
  const { url } = redisConnection(options.redis);
  if (options.lockMs < 100 || options.stalledIntervalMs < 100)
    throw new UserInputError('--lock-ms and --stalled-interval-ms must be at least 100');
  const worker = await startRedisWorker({
    url,
    dataDir: resolve(options.data),
    concurrency: options.concurrency,
    threads:
      options.threads ?? Math.max(1, Math.floor(availableParallelism() / options.concurrency)),
    ...(options.model !== undefined && { model: resolve(options.model) }),
    ...(options.referenceData !== undefined && { referenceData: resolve(options.referenceData) }),
    lockMs: options.lockMs,
    stalledIntervalMs: options.stalledIntervalMs,
    connectTimeoutMs: Math.round(options.redisTimeoutS * 1000),
    log: jsonLineLog(),
  });
  process.stdout.write(
    `neurotriage worker on redis ${redisAddress(url)} (${options.concurrency} at a time, data in ${resolve(options.data)}). ${RESEARCH_NOTICE}\n`,
  );
  await untilSignalled();
  await worker.close();
}
