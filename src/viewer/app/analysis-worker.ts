/**
 * The in-browser analysis, in a web worker (bundled as dist/viewer/analysis-worker.js): dropped
 * files in, `analyseLocalFiles` (the service's readers, selection, `analyzeStudy` and report
 * builder) with the browser `Resources` (models and reference data from the service's public
 * assets, ONNX Runtime as wasm), progress and the result out. The resources are made once per
 * worker, so a second file analyses without fetching the model again. Research use only.
 */
import type { Resources } from '../../pipeline/resources.js';
import { browserResources } from '../browser-resources.js';
import { analyseLocalFiles } from '../local-analysis.js';
import { wasmThreads } from '../web-onnx-model.js';
import type { AnalyseRequest, WorkerReply } from './local-messages.js';

interface WorkerScope {
  readonly location: { readonly href: string };
  readonly crossOriginIsolated?: boolean;
  readonly navigator?: { readonly hardwareConcurrency?: number };
  onmessage: ((event: MessageEvent<AnalyseRequest>) => void) | null;
  postMessage(message: WorkerReply, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
const threads = wasmThreads(scope);
let resources: Promise<Resources> | undefined;
let queue = Promise.resolve();

async function analyse(request: AnalyseRequest): Promise<void> {
  const started = performance.now();
  try {
    resources ??= browserResources({ baseUrl: new URL('/', scope.location.href).href, threads });
    resources.catch(() => (resources = undefined));
    const result = await analyseLocalFiles({
      files: request.files,
      resources: await resources,
      onProgress: (p) => scope.postMessage({ type: 'progress', ...p }),
    });
    const transfer = [result.labels.buffer, ...result.scans.map((s) => s.bytes.buffer)];
    scope.postMessage(
      { type: 'result', result, threads, workerMs: performance.now() - started },
      transfer as Transferable[],
    );
  } catch (e) {
    scope.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}

scope.onmessage = (event) => {
  if (event.data?.type !== 'analyse') return;
  queue = queue.then(() => analyse(event.data));
};
