/**
 * The job queue seen by the rest of the service. Jobs are persisted by the store (study-store.ts)
 * before they are enqueued, so a queue holds only what to run next; after a restart the store's
 * unfinished jobs are enqueued again. The in-process implementation (in-process-queue.ts) runs
 * them on worker threads; a Redis/BullMQ one for workers on several hosts implements the same
 * interface and calls the same listener.
 */
import type { AnalysisStage } from '../pipeline/analyze-study.js';
import type { Task } from '../pipeline/select-inputs.js';
import type { JobOutcome } from './study-store.js';

export interface QueuedJob {
  readonly jobId: number;
  readonly studyId: string;
  /**
   * The active model version's folder per task when the job was enqueued, relative to the data
   * folder (`models/<task>/<version>`, model-registry.ts); a task absent: the worker's default.
   */
  readonly modelDirs?: Partial<Record<Task, string>>;
}

export interface JobProgress extends QueuedJob {
  readonly stage: AnalysisStage | 'read' | 'write';
  /** 0…1 within the stage. */
  readonly fraction: number;
}

export interface JobResult extends QueuedJob {
  readonly outcome: JobOutcome;
  readonly durationMs: number;
}

/** What a queue tells the service about its jobs. */
export interface QueueListener {
  started(job: QueuedJob): void;
  progress(progress: JobProgress): void;
  finished(result: JobResult): void;
}

export interface Queue {
  /** Hands a persisted job to the queue; runs when a worker is free. */
  enqueue(job: QueuedJob): void;
  /** Jobs waiting for a worker. */
  readonly waiting: number;
  /** Jobs being analysed now. */
  readonly running: number;
  /** Stops the workers; jobs still running stay unfinished in the store (re-queued at start). */
  close(): Promise<void>;
}
