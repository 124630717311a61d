/**
 * An ONNX segmentation model run with onnxruntime-web (wasm) in a browser worker, with the same
 * contract as models/onnx-model.ts (onnxruntime-node): input "image" float32 [1, C, Z, Y, X],
 * output "logits" float32 [1, K+1, Z, Y, X] of the input's spatial size. The runtime's files
 * come from the viewer's own folder (`wasmBaseUrl`, copied there by scripts/build-viewer.mjs),
 * never from a CDN. Threads: all logical cores where the page is cross-origin isolated
 * (SharedArrayBuffer), else 1.
 */
import * as ort from 'onnxruntime-web/wasm';
import { FormatError, UserInputError } from '../core/errors.js';
import { INPUT_NAME, OUTPUT_NAME } from '../models/model-contract.js';
import type { RunPatch } from '../models/sliding-window.js';

export interface WebOnnxOptions {
  /** Folder URL (ending in '/') holding ort-wasm-simd-threaded.{mjs,wasm}. */
  readonly wasmBaseUrl: string;
  /** Threads for one operator; 1 without cross-origin isolation. */
  readonly threads: number;
}

export interface WebOnnxModel {
  readonly run: RunPatch;
  /** Threads the runtime was given. */
  readonly threads: number;
  release(): Promise<void>;
}

/** The threads to ask for here: every logical core when isolated, else one. */
export function wasmThreads(scope: {
  readonly crossOriginIsolated?: boolean;
  readonly navigator?: { readonly hardwareConcurrency?: number };
}): number {
  if (!scope.crossOriginIsolated) return 1;
  return Math.max(1, scope.navigator?.hardwareConcurrency ?? 1);
}

let configured: string | undefined;

function configure(options: WebOnnxOptions): void {
  const key = `${options.wasmBaseUrl} ${options.threads}`;
  if (configured === key) return;
  if (configured !== undefined)
    throw new UserInputError('onnxruntime-web is already set up with other options');
  ort.env.wasm.wasmPaths = options.wasmBaseUrl;
  ort.env.wasm.numThreads = options.threads;
  ort.env.wasm.proxy = false;
  configured = key;
}

/** Loads ONNX bytes into a wasm session, checking the input/output names. */
export async function loadWebOnnxModel(
  bytes: Uint8Array,
  options: WebOnnxOptions,
): Promise<WebOnnxModel> {
  configure(options);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
    });
  } catch (e) {
    throw new FormatError(`cannot load the ONNX model in the browser: ${(e as Error).message}`);
  }
  if (!session.inputNames.includes(INPUT_NAME) || !session.outputNames.includes(OUTPUT_NAME)) {
    await session.release();
    throw new FormatError(
      `the ONNX model has inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}]; expected input '${INPUT_NAME}' and output '${OUTPUT_NAME}'`,
    );
  }
  const run: RunPatch = async (input, shape) => {
    const count = shape.reduce((p, n) => p * n, 1);
    if (shape.length !== 5 || shape[0] !== 1 || input.length !== count)
      throw new UserInputError(
        `model input must be [1, C, Z, Y, X] with ${input.length} values, got shape [${shape.join(', ')}]`,
      );
    const result = await session.run({
      [INPUT_NAME]: new ort.Tensor('float32', input, [...shape]),
    });
    const logits = result[OUTPUT_NAME];
    if (!logits || !(logits.data instanceof Float32Array))
      throw new FormatError(`the ONNX model did not return float32 '${OUTPUT_NAME}'`);
    const dims = logits.dims;
    if (dims.length !== 5 || dims[0] !== 1 || !dims.slice(2).every((d, a) => d === shape[a + 2]))
      throw new FormatError(
        `the ONNX model returned logits [${dims.join(', ')}] for input [${shape.join(', ')}]; expected [1, K+1, ${shape.slice(2).join(', ')}]`,
      );
    return logits.data;
  };
  return { run, threads: options.threads, release: () => session.release() };
}
