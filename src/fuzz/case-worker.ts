/**
 * The case loop of a worker thread: receives case plans, makes each mutant, reads it as the CLI
 * would and posts back the outcome and time. Hangs and runaway memory are the main thread's to
 * catch (case-pool.ts): it terminates this worker and starts another.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { crashInfo } from './crash-report.js';
import type { CasePlan, SeedFile } from './fuzz-types.js';
import { makeMutant } from './make-mutant.js';
import { readMutant } from './read-mutant.js';

export interface WorkerInit {
  readonly dataRoot: string;
  readonly seeds: readonly SeedFile[];
}

export interface WorkerReply {
  readonly index: number;
  readonly outcome: 'ok' | 'refused' | 'crash';
  readonly detail: string;
  readonly message?: string;
  readonly frame?: string;
  readonly sourceFrame?: string;
  readonly ms: number;
}

const init = workerData as WorkerInit;
const cache = new Map<number, Uint8Array>();
const sources = {
  seeds: init.seeds,
  bytesOf: (n: number): Uint8Array => {
    let bytes = cache.get(n);
    if (!bytes) {
      bytes = new Uint8Array(readFileSync(join(init.dataRoot, init.seeds[n]!.relativePath)));
      cache.set(n, bytes);
    }
    return bytes;
  },
};

async function runOne(plan: CasePlan): Promise<WorkerReply> {
  const started = performance.now();
  let detail = '';
  try {
    const mutant = makeMutant(plan, sources);
    detail = mutant.detail;
    const read = await readMutant(mutant);
    return { index: plan.index, outcome: read.outcome, detail, ms: performance.now() - started };
  } catch (e) {
    return {
      index: plan.index,
      outcome: 'crash',
      detail,
      ...crashInfo(e),
      ms: performance.now() - started,
    };
  }
}

parentPort?.on('message', (plan: CasePlan) => {
  void runOne(plan).then((reply) => parentPort?.postMessage(reply));
});
