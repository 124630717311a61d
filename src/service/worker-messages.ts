/** What the in-process queue and its analysis workers say to each other. */
import type { JobProgress } from './queue.js';
import type { JobOutcome } from './study-store.js';

/** Given to each worker at start. */
export interface AnalysisWorkerData {
  /** The service's data folder (artefact-store.ts). */
  readonly dataDir: string;
  /** One model folder for every task (`--model`); default the package's per task. */
  readonly model?: string;
  /** Reference data root (templates, atlases); default `../shared/data`. */
  readonly referenceData?: string;
  /** ONNX Runtime threads of this worker. */
  readonly threads: number;
}

export type FromWorker =
  | { readonly type: 'ready' }
  | ({ readonly type: 'progress' } & Omit<JobProgress, 'studyId'>)
  | {
      readonly type: 'result';
      readonly jobId: number;
      readonly outcome: JobOutcome;
      readonly durationMs: number;
    };
