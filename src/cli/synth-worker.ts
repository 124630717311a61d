/**
 * Worker thread of `neurotriage synth --jobs N`: loads the reference data once, then makes the
 * cases it is sent and posts back their results (manifest line, gallery tiles, statistics).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadSynthResources } from '../io/reference-data.js';
import { type SynthJobOptions, jobBackground, runSynthJob } from './synth-job.js';

interface WorkerInput {
  readonly root: string;
  readonly options: SynthJobOptions;
}

const input = workerData as WorkerInput;
const resources = loadSynthResources(input.root, input.options.task);
const real = await jobBackground(input.root, input.options, resources);
parentPort?.on('message', (index: number | null) => {
  if (index === null) {
    parentPort?.close();
    return;
  }
  try {
    parentPort?.postMessage({
      ok: true,
      result: runSynthJob(resources, input.options, index, real),
    });
  } catch (e) {
    parentPort?.postMessage({
      ok: false,
      index,
      message: e instanceof Error ? e.message : String(e),
    });
  }
});
parentPort?.postMessage({ ready: true });
