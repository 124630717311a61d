/**
 * JPEG 2000 (1.2.840.10008.1.2.4.90 lossless, .91) frames via OpenJPEG in wasm. OpenJPEG
 * applies the inverse multi-component transform, so YBR_RCT / YBR_ICT come back as RGB.
 */
import type { DecodedSamples, FrameDescription } from './types.js';
import { checkDimensions, runWasmDecoder } from './wasm-decoder.js';

export async function decodeJpeg2000(
  frame: Uint8Array,
  info: FrameDescription,
): Promise<DecodedSamples> {
  const result = await runWasmDecoder(
    {
      name: '@cornerstonejs/codec-openjpeg/decodewasmjs',
      load: () => import('@cornerstonejs/codec-openjpeg/decodewasmjs'),
    },
    'J2KDecoder',
    frame,
    'JPEG 2000',
  );
  checkDimensions('JPEG 2000', result.info, info);
  const pi = info.photometricInterpretation;
  if (info.samplesPerPixel === 3 && (pi === 'YBR_RCT' || pi === 'YBR_ICT'))
    return { samples: result.samples, photometricInterpretation: 'RGB' };
  return { samples: result.samples };
}
