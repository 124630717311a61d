/**
 * 8-bit lossy JPEG (1.2.840.10008.1.2.4.50, and .51 streams of 8-bit precision) via
 * libjpeg-turbo in wasm. libjpeg converts YCbCr colour to RGB, reported as such.
 */
import type { DecodedSamples, FrameDescription } from './types.js';
import { checkDimensions, runWasmDecoder } from './wasm-decoder.js';

export async function decodeJpegBaseline(
  frame: Uint8Array,
  info: FrameDescription,
): Promise<DecodedSamples> {
  const result = await runWasmDecoder(
    {
      name: '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
      load: () => import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs'),
    },
    'JPEGDecoder',
    frame,
    'JPEG baseline',
  );
  checkDimensions('JPEG baseline', result.info, info);
  if (info.samplesPerPixel === 3)
    return { samples: result.samples, photometricInterpretation: 'RGB' };
  return { samples: result.samples };
}
