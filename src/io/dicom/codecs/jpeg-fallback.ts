/**
 * The decoder of JPEG streams the built-in codecs cannot read (12-bit lossy JPEG), supplied by
 * the platform: on Node, GDCM in wasm through temp files (gdcm-jpeg.ts registers itself when the
 * Node file edge, input-files.ts, is loaded); in a browser none is registered and such a series
 * is refused with a clear message. Keeps decode-frames.ts free of Node APIs.
 */
import { FormatError } from '../../../core/errors.js';
import type { FrameDescription, SampleArray } from './types.js';

export type JpegFallbackDecoder = (
  frames: Uint8Array[],
  info: FrameDescription,
  ts: string,
) => Promise<SampleArray[]>;

let registered: JpegFallbackDecoder | undefined;

export function registerJpegFallback(decoder: JpegFallbackDecoder): void {
  registered = decoder;
}

export function jpegFallback(): JpegFallbackDecoder {
  if (!registered)
    throw new FormatError(
      `12-bit lossy JPEG needs the GDCM decoder, which is not available here (Node only)`,
    );
  return registered;
}
