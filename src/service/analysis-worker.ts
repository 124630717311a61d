/**
 * The entry of one analysis worker thread. It makes its `Resources` once (models, templates,
 * atlases: loaded on first use, then kept for every later job; a job naming installed model
 * versions gets those, each loaded once: model-version-resources.ts), then runs one job at a time as
 * the queue sends them, reporting progress (at most every 5 % or on a new stage) and the outcome.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { nodeResources } from '../host/node-resources.js';
import { analyseStoredStudy } from './analyse-stored-study.js';
import { ArtefactStore } from './artefact-store.js';
import { ModelVersionResources } from './model-version-resources.js';
import type { QueuedJob } from './queue.js';
import type { AnalysisWorkerData, FromWorker } from './worker-messages.js';

const data = workerData as AnalysisWorkerData;
const port = parentPort;
if (!port) throw new Error('analysis-worker.ts runs as a worker thread');
const post = (message: FromWorker) => port.postMessage(message);

const artefacts = new ArtefactStore(data.dataDir);
const resources = new ModelVersionResources({
  dataDir: data.dataDir,
  threads: data.threads,
  base: nodeResources({
    ...(data.model !== undefined && { model: data.model }),
    ...(data.referenceData !== undefined && { data: data.referenceData }),
    threads: data.threads,
  }),
});

port.on('message', (job: QueuedJob) => {
  void run(job);
});
post({ type: 'ready' });

async function run(job: QueuedJob): Promise<void> {
  const started = performance.now();
  let last = { stage: '', fraction: -1 };
  const outcome = await analyseStoredStudy({
    job,
    artefacts,
    resources: resources.forJob(job.modelDirs),
    onProgress: ({ stage, fraction }) => {
      if (stage === last.stage && fraction < last.fraction + 0.05 && fraction < 1) return;
      last = { stage, fraction };
      post({ type: 'progress', jobId: job.jobId, stage, fraction });
    },
  });
  post({ type: 'result', jobId: job.jobId, outcome, durationMs: performance.now() - started });
}
