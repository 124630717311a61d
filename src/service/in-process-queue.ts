/**
 * The embedded queue: N `worker_threads`, each with its own `Resources`, one job at a time per
 * worker, first in first out. A worker that dies mid-job fails that job with a reason and is
 * replaced. `close()` stops the workers; what they were running stays `running` in the store
 * and is re-queued at the next start.
 */
import { Worker } from 'node:worker_threads';
import type { Queue, QueueListener, QueuedJob } from './queue.js';
import type { AnalysisWorkerData, FromWorker } from './worker-messages.js';

export interface InProcessQueueOptions {
  /** Worker threads; 0 accepts jobs and runs none (a receive-only node, tests). */
  readonly workers: number;
  readonly workerData: AnalysisWorkerData;
  readonly listener: QueueListener;
}

interface Slot {
  worker: Worker;
  job: (QueuedJob & { startedMs: number }) | undefined;
  ready: boolean;
}

const WORKER_URL = new URL('./analysis-worker.js', import.meta.url);

export class InProcessQueue implements Queue {
  private readonly pendingJobs: QueuedJob[] = [];
  private readonly slots: Slot[] = [];
  private closing = false;

  constructor(private readonly options: InProcessQueueOptions) {
    for (let i = 0; i < options.workers; i++) this.slots.push(this.spawn());
  }

  get waiting(): number {
    return this.pendingJobs.length;
  }

  get running(): number {
    return this.slots.filter((s) => s.job).length;
  }

  enqueue(job: QueuedJob): void {
    if (this.closing) return;
    if (this.pendingJobs.some((j) => j.jobId === job.jobId)) return;
    if (this.slots.some((s) => s.job?.jobId === job.jobId)) return;
    this.pendingJobs.push(job);
    this.dispatch();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.pendingJobs.length = 0;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const slot: Slot = {
      worker: new Worker(WORKER_URL, { workerData: this.options.workerData }),
      job: undefined,
      ready: false,
    };
    slot.worker.on('message', (m: FromWorker) => this.onMessage(slot, m));
    slot.worker.on('error', (e) => this.onExit(slot, `error: ${e.message.split('\n')[0]}`));
    slot.worker.on('exit', (code) => this.onExit(slot, `exit code ${code}`));
    return slot;
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    const { listener } = this.options;
    if (m.type === 'ready') {
      slot.ready = true;
      this.dispatch();
    } else if (m.type === 'progress' && slot.job?.jobId === m.jobId) {
      listener.progress({ ...m, studyId: slot.job.studyId });
    } else if (m.type === 'result' && slot.job?.jobId === m.jobId) {
      const job = slot.job;
      slot.job = undefined;
      listener.finished({
        jobId: job.jobId,
        studyId: job.studyId,
        outcome: m.outcome,
        durationMs: m.durationMs,
      });
      this.dispatch();
    }
  }

  private onExit(slot: Slot, why: string): void {
    if (this.closing) return;
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    const job = slot.job;
    slot.job = undefined;
    if (job)
      this.options.listener.finished({
        jobId: job.jobId,
        studyId: job.studyId,
        outcome: { status: 'failed', reason: `the analysis worker stopped (${why})` },
        durationMs: performance.now() - job.startedMs,
      });
    void slot.worker.terminate();
    this.slots[index] = this.spawn();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.job) continue;
      const job = this.pendingJobs.shift();
      if (!job) return;
      slot.job = { ...job, startedMs: performance.now() };
      this.options.listener.started(job);
      slot.worker.postMessage(job);
    }
  }
}
