/**
 * A stateless analysis worker on Redis (`neurotriage worker --redis URL --data DIR`): a BullMQ
 * `Worker` on the analysis queue whose jobs run on this process's own analysis threads (the
 * in-process queue: each thread makes its `Resources` once and keeps them), reading the study's
 * input from the shared data folder and committing its result there. The outcome is the BullMQ
 * job's return value; the serving process records it (redis-queue.ts). The main thread only
 * waits, so the job lock is renewed while a thread analyses; a process killed mid-analysis
 * loses its lock and, after the stall check, another worker runs the job again (at least once;
 * the committed result makes a rerun idempotent).
 */
import { Worker } from 'bullmq';
import { ArtefactStore } from './artefact-store.js';
import type { ServiceLog } from './dimse/service-log.js';
import { InProcessQueue } from './in-process-queue.js';
import {
  ANALYSIS_QUEUE,
  type RedisJobData,
  type RedisJobReturn,
  redisConnection,
} from './redis-jobs.js';
import { DEFAULT_REDIS_TIMEOUT_MS, waitForRedis } from './redis-ready.js';

export interface RedisWorkerOptions {
  readonly url: string;
  /** The data folder shared with the serving process. */
  readonly dataDir: string;
  /** Jobs analysed at once (analysis threads); default 1. */
  readonly concurrency?: number;
  /** ONNX Runtime threads per analysis thread. */
  readonly threads: number;
  readonly model?: string;
  readonly referenceData?: string;
  /** A job's lock; lost (process gone) → the job is stalled and runs again. Default 30 s. */
  readonly lockMs?: number;
  /** How often stalled jobs are looked for; default 30 s. */
  readonly stalledIntervalMs?: number;
  /** Redis not answering within this at start: `RedisUnreachableError`. Default 10 s. */
  readonly connectTimeoutMs?: number;
  readonly log: ServiceLog;
}

export interface RunningRedisWorker {
  /** Takes no new job, waits for the running ones, stops the analysis threads. */
  close(): Promise<void>;
}

type Finish = (result: RedisJobReturn) => void;

export async function startRedisWorker(options: RedisWorkerOptions): Promise<RunningRedisWorker> {
  const { log } = options;
  const concurrency = options.concurrency ?? 1;
  await waitForRedis({
    url: options.url,
    timeoutMs: options.connectTimeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS,
  });
  const waiting = new Map<number, { finish: Finish[]; progress: (p: object) => void }>();
  const artefacts = new ArtefactStore(options.dataDir);
  const threads = new InProcessQueue({
    workers: concurrency,
    workerData: {
      dataDir: artefacts.root,
      threads: options.threads,
      ...(options.model !== undefined && { model: options.model }),
      ...(options.referenceData !== undefined && { referenceData: options.referenceData }),
    },
    listener: {
      started: () => undefined,
      progress: ({ jobId, stage, fraction }) => waiting.get(jobId)?.progress({ stage, fraction }),
      finished: ({ jobId, studyId, outcome, durationMs }) => {
        log.info(
          { studyId, status: outcome.status, durationMs: Math.round(durationMs) },
          'analysis finished',
        );
        const entry = waiting.get(jobId);
        waiting.delete(jobId);
        for (const finish of entry?.finish ?? []) finish({ outcome, durationMs });
      },
    },
  });
  const worker = new Worker<RedisJobData, RedisJobReturn>(
    ANALYSIS_QUEUE,
    (job) =>
      new Promise<RedisJobReturn>((finish) => {
        const { jobId, studyId, modelDirs } = job.data;
        log.info({ studyId, attempt: job.attemptsStarted }, 'analysis started');
        const entry = waiting.get(jobId);
        if (entry) entry.finish.push(finish);
        else {
          // Not running here: an earlier attempt lost its lock (its worker killed or stalled),
          // so its work folder is dead; the analysis is idempotent.
          const removed = artefacts.removeEarlierWork(jobId);
          if (removed > 0)
            log.info({ studyId, removed }, 'earlier work folders of the job removed');
          waiting.set(jobId, {
            finish: [finish],
            progress: (p) => void job.updateProgress(p).catch(() => undefined),
          });
        }
        threads.enqueue({ jobId, studyId, ...(modelDirs && { modelDirs }) });
      }),
    {
      connection: redisConnection(options.url),
      concurrency,
      lockDuration: options.lockMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      // A job whose worker died runs again on another; more than twice: failed.
      maxStalledCount: 2,
    },
  );
  worker.on('error', (e) => log.warn({ error: e.message.split('\n')[0] }, 'redis error'));
  try {
    await worker.waitUntilReady();
  } catch (e) {
    await worker.close(true);
    await threads.close();
    throw e;
  }
  return {
    async close() {
      await worker.close();
      await threads.close();
    },
  };
}
