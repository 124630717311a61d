/**
 * Loads the Cornerstone emscripten codec modules (CharLS, OpenJPEG, libjpeg-turbo) once per
 * process and runs their common decoder protocol: copy the bitstream into wasm memory,
 * decode, read the frame info, copy the pixels out, free the decoder.
 */
import { FormatError } from '../../../core/errors.js';
import type { SampleArray } from './types.js';

export interface WasmFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): WasmFrameInfo;
  getDecodedBuffer(): Uint8Array;
  getInterleaveMode?(): number;
  delete(): void;
}

type WasmModule = Record<string, new () => WasmDecoder>;
type WasmFactory = (moduleArg?: object) => Promise<WasmModule>;

/** A codec's emscripten module, e.g. `() => import('@cornerstonejs/codec-charls/decodewasmjs')`. */
export interface WasmCodec {
  readonly name: string;
  readonly load: () => Promise<unknown>;
}

const modules = new Map<string, Promise<WasmModule>>();

/** Initialises (once, cached) the codec's emscripten module (a CommonJS factory). */
function loadModule(codec: WasmCodec): Promise<WasmModule> {
  let promise = modules.get(codec.name);
  if (promise === undefined) {
    promise = codec.load().then((m) => {
      const factory = ((m as { default?: WasmFactory }).default ?? m) as WasmFactory;
      // Silence the codecs' console chatter (OpenJPEG prints [INFO] lines); failures still throw.
      const quiet = (): void => undefined;
      return factory({ print: quiet, printErr: quiet });
    });
    modules.set(codec.name, promise);
  }
  return promise;
}

export interface WasmDecodeResult {
  info: WasmFrameInfo;
  interleaveMode: number | undefined;
  /** Decoded samples, copied out of wasm memory; 1 byte per sample up to 8 bits, else 2. */
  samples: SampleArray;
}

/** Runs `className` from the codec's module on one encoded frame. */
export async function runWasmDecoder(
  codec: WasmCodec,
  className: string,
  encoded: Uint8Array,
  codecName: string,
): Promise<WasmDecodeResult> {
  const module = await loadModule(codec);
  const Decoder = module[className];
  if (Decoder === undefined) throw new Error(`${codec.name} has no ${className}`);
  const decoder = new Decoder();
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    try {
      decoder.decode();
    } catch (e) {
      throw new FormatError(
        `${codecName} frame cannot be decoded (${e instanceof Error ? e.message : String(e)})`,
      );
    }
    const info = decoder.getFrameInfo();
    const interleaveMode = decoder.getInterleaveMode?.();
    const decoded = decoder.getDecodedBuffer();
    const copy = new Uint8Array(decoded.length);
    copy.set(decoded);
    let samples: SampleArray;
    if (info.bitsPerSample <= 8) samples = info.isSigned ? new Int8Array(copy.buffer) : copy;
    else if (info.bitsPerSample <= 16)
      samples = info.isSigned ? new Int16Array(copy.buffer) : new Uint16Array(copy.buffer);
    else throw new FormatError(`${codecName} frame has ${info.bitsPerSample} bits per sample`);
    return { info: { ...info }, interleaveMode, samples };
  } finally {
    decoder.delete();
  }
}

/** Converts planar (RRR…GGG…BBB…) samples to interleaved (RGBRGB…). */
export function planarToInterleaved<T extends SampleArray>(planar: T, samplesPerPixel: number): T {
  const pixelCount = planar.length / samplesPerPixel;
  const out = new (planar.constructor as new (n: number) => T)(planar.length);
  for (let s = 0; s < samplesPerPixel; s++) {
    const base = s * pixelCount;
    for (let p = 0; p < pixelCount; p++) out[p * samplesPerPixel + s] = planar[base + p] ?? 0;
  }
  return out;
}

/** Throws unless the decoded frame has the size the data set announces. */
export function checkDimensions(
  codecName: string,
  info: WasmFrameInfo,
  expected: { rows: number; columns: number; samplesPerPixel: number },
): void {
  if (
    info.width !== expected.columns ||
    info.height !== expected.rows ||
    info.componentCount !== expected.samplesPerPixel
  ) {
    throw new FormatError(
      `${codecName} frame is ${info.width}×${info.height}×${info.componentCount}, ` +
        `the data set says ${expected.columns}×${expected.rows}×${expected.samplesPerPixel}`,
    );
  }
}
