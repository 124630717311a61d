/** JPEG-LS (1.2.840.10008.1.2.4.80 lossless, .81 near-lossless) frames via CharLS in wasm. */
import type { DecodedSamples, FrameDescription } from './types.js';
import { checkDimensions, planarToInterleaved, runWasmDecoder } from './wasm-decoder.js';

export async function decodeJpegLs(
  frame: Uint8Array,
  info: FrameDescription,
): Promise<DecodedSamples> {
  const result = await runWasmDecoder(
    {
      name: '@cornerstonejs/codec-charls/decodewasmjs',
      load: () => import('@cornerstonejs/codec-charls/decodewasmjs'),
    },
    'JpegLSDecoder',
    frame,
    'JPEG-LS',
  );
  checkDimensions('JPEG-LS', result.info, info);
  // Interleave mode 0 (none) leaves colour components in planes.
  if (info.samplesPerPixel > 1 && result.interleaveMode === 0)
    return { samples: planarToInterleaved(result.samples, info.samplesPerPixel) };
  return { samples: result.samples };
}
