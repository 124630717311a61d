/**
 * An ONNX segmentation model run with onnxruntime-node (CPU). The contract with `training/`:
 * input "image" float32 [1, C, Z, Y, X] (Z/Y/X dynamic), output "logits" float32
 * [1, K+1, Z, Y, X]. Node only (onnxruntime-node, node:os); the browser build uses onnxruntime-web
 * with the same contract.
 */
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { FormatError, UserInputError } from '../core/errors.js';
import { INPUT_NAME, OUTPUT_NAME } from './model-contract.js';

export type InputShape = readonly [1, number, number, number, number];

export interface OnnxModel {
  readonly inputName: string;
  readonly outputName: string;
  /** Runs one forward pass; returns the logits [1, K+1, Z, Y, X] as a flat array. */
  run(input: Float32Array, shape: InputShape): Promise<Float32Array>;
  release(): Promise<void>;
}

export interface LoadOnnxOptions {
  /** Threads for one operator (intraOpNumThreads); default: all logical cores. */
  readonly threads?: number;
  /** 'same' (default): logits must have the input's spatial size; 'any': a peer's cropped output. */
  readonly outputSize?: 'same' | 'any';
}

export { INPUT_NAME, OUTPUT_NAME };

/** Loads an ONNX file (path or bytes) into a CPU session, checking the input/output names. */
export async function loadOnnxModel(
  source: string | Uint8Array,
  options: LoadOnnxOptions = {},
): Promise<OnnxModel> {
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 0)
    throw new UserInputError(`threads must be a non-negative integer, got ${threads}`);
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  };
  const label = typeof source === 'string' ? source : 'ONNX model bytes';
  let session: ort.InferenceSession;
  try {
    session =
      typeof source === 'string'
        ? await ort.InferenceSession.create(source, sessionOptions)
        : await ort.InferenceSession.create(source, sessionOptions);
  } catch (e) {
    throw new FormatError(`cannot load ONNX model ${label}: ${(e as Error).message}`);
  }
  if (!session.inputNames.includes(INPUT_NAME) || !session.outputNames.includes(OUTPUT_NAME)) {
    await session.release();
    throw new FormatError(
      `ONNX model ${label} has inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}]; expected input '${INPUT_NAME}' and output '${OUTPUT_NAME}'`,
    );
  }
  return {
    inputName: INPUT_NAME,
    outputName: OUTPUT_NAME,
    async run(input, shape) {
      const count = shape.reduce((p, n) => p * n, 1);
      if (shape.length !== 5 || shape[0] !== 1 || input.length !== count)
        throw new UserInputError(
          `model input must be [1, C, Z, Y, X] with ${input.length} values, got shape [${shape.join(', ')}]`,
        );
      const tensor = new ort.Tensor('float32', input, [...shape]);
      const result = await session.run({ [INPUT_NAME]: tensor });
      const logits = result[OUTPUT_NAME];
      if (!logits || !(logits.data instanceof Float32Array))
        throw new FormatError(`ONNX model ${label} did not return float32 '${OUTPUT_NAME}'`);
      const dims = logits.dims;
      const sizeOk =
        options.outputSize === 'any' || dims.slice(2).every((d, a) => d === shape[a + 2]);
      if (dims.length !== 5 || dims[0] !== 1 || !sizeOk)
        throw new FormatError(
          `ONNX model ${label} returned logits [${dims.join(', ')}] for input [${shape.join(', ')}]; expected [1, K+1, ${shape.slice(2).join(', ')}]`,
        );
      return logits.data;
    },
    release: () => session.release(),
  };
}
