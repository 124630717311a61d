/**
 * JPEG lossless, process 14 (1.2.840.10008.1.2.4.57, and selection value 1: .70) via the pure
 * JavaScript jpeg-lossless-decoder-js. Colour comes back interleaved.
 */
import { Decoder } from 'jpeg-lossless-decoder-js';
import { FormatError } from '../../../core/errors.js';
import type { DecodedSamples, FrameDescription } from './types.js';

interface LosslessDecoder {
  decode(
    buffer: ArrayBuffer,
    offset: number,
    length: number,
    numBytes?: number,
  ): Uint8Array | Uint16Array;
  xDim: number;
  yDim: number;
  numComp: number;
}

function decoderClass(): new () => LosslessDecoder {
  return Decoder as unknown as new () => LosslessDecoder;
}

export function decodeJpegLossless(frame: Uint8Array, info: FrameDescription): DecodedSamples {
  const decoder = new (decoderClass())();
  const numBytes = info.bitsAllocated <= 8 ? 1 : 2;
  let out: Uint8Array | Uint16Array;
  try {
    out = decoder.decode(frame.buffer as ArrayBuffer, frame.byteOffset, frame.byteLength, numBytes);
  } catch (e) {
    throw new FormatError(
      `JPEG lossless frame cannot be decoded (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (
    decoder.xDim !== info.columns ||
    decoder.yDim !== info.rows ||
    decoder.numComp !== info.samplesPerPixel
  )
    throw new FormatError(
      `JPEG lossless frame is ${decoder.xDim}×${decoder.yDim}×${decoder.numComp}, ` +
        `the data set says ${info.columns}×${info.rows}×${info.samplesPerPixel}`,
    );
  // The decoder sizes 16-bit output in bytes, not samples: keep only the samples.
  return { samples: out.subarray(0, info.rows * info.columns * info.samplesPerPixel) };
}
