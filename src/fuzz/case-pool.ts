/**
 * Runs case plans in worker threads with a watchdog: a case over the time limit is a `hang`,
 * one whose process memory grows past the byte limit (sampled here while it runs) or that
 * kills its worker for memory (resourceLimits) is `memory`; either way the worker is terminated
 * and replaced, and the run goes on. Results come back in case order.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerInit, WorkerReply } from './case-worker.js';
import type { CasePlan, CaseResult, SeedFile } from './fuzz-types.js';

export interface PoolOptions {
  readonly dataRoot: string;
  readonly seeds: readonly SeedFile[];
  /** Worker threads (default 1: memory per case is then the case's own). */
  readonly jobs?: number;
  /** A case running longer is a hang (default 30 s). */
  readonly timeLimitMs?: number;
  /** A case growing the process's resident memory by more is `memory` (default 2 GB). */
  readonly memoryLimitBytes?: number;
  readonly onResult?: (result: CaseResult) => void;
}

const SAMPLE_MS = 20;
const MB = 1e6;

interface Slot {
  worker: Worker;
  plan?: CasePlan;
  startedAt: number;
  rssAtStart: number;
  peakRss: number;
  timer?: NodeJS.Timeout;
}

export async function runCasePool(
  plans: readonly CasePlan[],
  options: PoolOptions,
): Promise<CaseResult[]> {
  const timeLimitMs = options.timeLimitMs ?? 30_000;
  const memoryLimit = options.memoryLimitBytes ?? 2e9;
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, plans.length));
  const init: WorkerInit = { dataRoot: options.dataRoot, seeds: options.seeds };
  const results: CaseResult[] = new Array<CaseResult>(plans.length);
  const positions = new Map(plans.map((p, n) => [p.index, n]));
  let next = 0;
  let done = 0;

  return new Promise<CaseResult[]>((resolve) => {
    const finish = (slot: Slot, result: Omit<CaseResult, 'plan' | 'seedPath' | 'peakMb'>) => {
      const plan = slot.plan!;
      clearTimeout(slot.timer);
      slot.plan = undefined;
      slot.peakRss = Math.max(slot.peakRss, process.memoryUsage.rss());
      const full: CaseResult = {
        plan,
        seedPath: options.seeds[plan.seedIndex]?.relativePath ?? '',
        peakMb: Math.max(0, slot.peakRss - slot.rssAtStart) / MB,
        ...result,
      };
      results[positions.get(plan.index)!] = full;
      options.onResult?.(full);
      done++;
    };
    const replace = (slot: Slot) => {
      const old = slot.worker;
      old.removeAllListeners();
      old.on('error', () => {});
      void old.terminate();
      slot.worker = spawn(slot);
    };
    const kill = (slot: Slot, outcome: 'hang' | 'memory' | 'crash', message: string) => {
      finish(slot, { outcome, message, ms: performance.now() - slot.startedAt });
      replace(slot);
      feed(slot);
    };
    const spawn = (slot: Slot): Worker => {
      const worker = new Worker(new URL('./fuzz-worker.js', import.meta.url), {
        workerData: init,
        stdout: true,
        stderr: true,
        resourceLimits: { maxOldGenerationSizeMb: Math.round(memoryLimit / MB) },
      });
      worker.stdout.resume(); // codecs print; their output is not the harness's
      worker.stderr.resume();
      worker.on('message', (reply: WorkerReply) => {
        if (!slot.plan || reply.index !== slot.plan.index) return;
        finish(slot, {
          outcome: reply.outcome,
          detail: reply.detail,
          ms: reply.ms,
          ...(reply.message !== undefined && { message: reply.message }),
          ...(reply.frame !== undefined && { frame: reply.frame }),
          ...(reply.sourceFrame !== undefined && { sourceFrame: reply.sourceFrame }),
        });
        feed(slot);
      });
      worker.on('error', (e: Error & { code?: string }) => {
        if (!slot.plan) return;
        const memory =
          e.code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory|heap/i.test(e.message);
        kill(slot, memory ? 'memory' : 'crash', `worker died: ${e.message.split('\n')[0]}`);
      });
      worker.on('exit', (code) => {
        if (slot.plan && slot.worker === worker)
          kill(slot, 'crash', `worker exited with code ${code}`);
      });
      return worker;
    };
    const slots: Slot[] = [];
    const feed = (slot: Slot) => {
      if (next >= plans.length) {
        if (done === plans.length) end();
        return;
      }
      const plan = plans[next++]!;
      slot.plan = plan;
      slot.startedAt = performance.now();
      slot.rssAtStart = process.memoryUsage.rss();
      slot.peakRss = slot.rssAtStart;
      slot.timer = setTimeout(() => {
        if (slot.plan === plan) kill(slot, 'hang', `no answer within ${timeLimitMs / 1000} s`);
      }, timeLimitMs);
      slot.worker.postMessage(plan);
    };
    const sampler = setInterval(() => {
      const rss = process.memoryUsage.rss();
      for (const slot of slots) {
        if (!slot.plan) continue;
        slot.peakRss = Math.max(slot.peakRss, rss);
        if (rss - slot.rssAtStart > memoryLimit)
          kill(
            slot,
            'memory',
            `resident memory grew by ${((rss - slot.rssAtStart) / MB).toFixed(0)} MB`,
          );
      }
    }, SAMPLE_MS);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(sampler);
      for (const slot of slots) {
        slot.worker.removeAllListeners();
        void slot.worker.terminate();
      }
      resolve(results);
    };
    if (plans.length === 0) return end();
    for (let n = 0; n < jobs; n++) {
      const slot = { startedAt: 0, rssAtStart: 0, peakRss: 0 } as Slot;
      slot.worker = spawn(slot);
      slots.push(slot);
    }
    for (const slot of slots) feed(slot);
  });
}
