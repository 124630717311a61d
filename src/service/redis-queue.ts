/**
 * The `Queue` on Redis (BullMQ), for `serve --redis URL`: jobs go to Redis with the study id as
 * the BullMQ job id; stateless `neurotriage worker` processes (redis-worker.ts) take them,
 * analyse into the shared data folder and return the outcome. This process listens to the
 * queue's events (active, progress, completed, failed) and calls the same `QueueListener` as
 * the in-process queue, so only the serving process writes the SQLite file. Events sent while
 * it is down are not replayed: at its next start the store's unfinished jobs are enqueued again
 * and a finished study's rerun finds its committed result at once.
 */
import { Queue as BullQueue, QueueEvents } from 'bullmq';
import type { Queue, QueueListener, QueuedJob } from './queue.js';
import {
  ANALYSIS_JOB,
  ANALYSIS_QUEUE,
  type RedisJobData,
  type RedisJobProgress,
  type RedisJobReturn,
  redisConnection,
} from './redis-jobs.js';
import { DEFAULT_REDIS_TIMEOUT_MS, waitForRedis } from './redis-ready.js';

export interface RedisQueueOptions {
  /** `redis://host:port[/db]`. */
  readonly url: string;
  readonly listener: QueueListener;
  /** Redis connection errors and failed enqueues (no patient data: ids only). */
  readonly onError: (message: string) => void;
  /** Redis not answering within this at start: `RedisUnreachableError`. Default 10 s. */
  readonly connectTimeoutMs?: number;
}

export class RedisQueue implements Queue {
  /** Jobs handed to Redis and not yet finished, by BullMQ job id (the study id). */
  private readonly jobs = new Map<string, QueuedJob>();
  private readonly active = new Set<string>();
  private closing = false;

  private constructor(
    private readonly queue: BullQueue<RedisJobData, RedisJobReturn>,
    private readonly events: QueueEvents,
    private readonly options: RedisQueueOptions,
  ) {
    events.on('active', ({ jobId }) => {
      const job = this.jobs.get(jobId);
      if (!job) return;
      this.active.add(jobId);
      options.listener.started(job);
    });
    events.on('progress', ({ jobId, data }) => {
      const job = this.jobs.get(jobId);
      const p = data as Partial<RedisJobProgress>;
      if (job && typeof p === 'object' && p.stage !== undefined && typeof p.fraction === 'number')
        options.listener.progress({ ...job, stage: p.stage, fraction: p.fraction });
    });
    events.on('completed', ({ jobId, returnvalue }) => {
      const r = returnvalue as unknown as RedisJobReturn;
      this.finish(jobId, r.outcome, r.durationMs);
    });
    events.on('failed', ({ jobId, failedReason }) => {
      const why = (failedReason.split('\n')[0] ?? '').trim() || 'no reason given';
      this.finish(jobId, { status: 'failed', reason: `the analysis worker failed (${why})` }, 0);
    });
  }

  static async open(options: RedisQueueOptions): Promise<RedisQueue> {
    const connection = redisConnection(options.url);
    await waitForRedis({
      url: options.url,
      timeoutMs: options.connectTimeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS,
    });
    const queue = new BullQueue<RedisJobData, RedisJobReturn>(ANALYSIS_QUEUE, { connection });
    const events = new QueueEvents(ANALYSIS_QUEUE, { connection });
    const report = (e: Error) => options.onError(`redis: ${e.message.split('\n')[0]}`);
    queue.on('error', report);
    events.on('error', report);
    try {
      // Listening before anything is added, so no completion is missed.
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    } catch (e) {
      await Promise.allSettled([events.close(), queue.close()]);
      throw e;
    }
    return new RedisQueue(queue, events, options);
  }

  get waiting(): number {
    return this.jobs.size - this.active.size;
  }

  get running(): number {
    return this.active.size;
  }

  enqueue(job: QueuedJob): void {
    if (this.closing) return;
    this.jobs.set(job.studyId, job);
    this.queue
      .add(ANALYSIS_JOB, job, { jobId: job.studyId, removeOnComplete: true, removeOnFail: true })
      .catch((e: unknown) =>
        this.options.onError(
          `study ${job.studyId} not enqueued on redis: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
  }

  /** Stops listening; jobs on Redis stay there for the workers (re-queued at the next start). */
  async close(): Promise<void> {
    this.closing = true;
    await this.events.close();
    await this.queue.close();
  }

  private finish(jobId: string, outcome: RedisJobReturn['outcome'], durationMs: number): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    this.jobs.delete(jobId);
    this.active.delete(jobId);
    this.options.listener.finished({ ...job, outcome, durationMs });
  }
}
