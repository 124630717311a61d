/**
 * What the page and the analysis worker (analysis-worker.ts) say to each other. Files go in as
 * bytes with their names (transferred, not copied); the result comes back as the report and
 * NIfTI bytes. Nothing here is sent anywhere else.
 */
import type { LocalResult, LocalStage } from '../local-analysis.js';

export interface AnalyseRequest {
  readonly type: 'analyse';
  readonly files: readonly { readonly name: string; readonly bytes: Uint8Array }[];
}

export type WorkerReply =
  | { readonly type: 'progress'; readonly stage: LocalStage; readonly fraction: number }
  | {
      readonly type: 'result';
      readonly result: LocalResult;
      /** onnxruntime-web threads used. */
      readonly threads: number;
      /** Time in the worker, files received → result, ms (resources included on a first run). */
      readonly workerMs: number;
    }
  | { readonly type: 'error'; readonly message: string };
