/** Minimal PNG encoder (8-bit greyscale or RGB, no interlace) for overlays and montages. */
import { zlibSync } from 'fflate';
import { crc32 } from './crc32.js';

export interface PngImage {
  readonly width: number;
  readonly height: number;
  /** 1 (greyscale) or 3 (RGB) bytes per pixel, rows top to bottom. */
  readonly channels: 1 | 3;
  readonly pixels: Uint8Array;
}

/** One PNG chunk: length, type, data, CRC-32. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let n = 0; n < 4; n++) out[4 + n] = type.charCodeAt(n);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

export function encodePng(image: PngImage): Uint8Array {
  const { width, height, channels, pixels } = image;
  if (pixels.length !== width * height * channels)
    throw new RangeError(`PNG: expected ${width * height * channels} bytes, got ${pixels.length}`);
  const header = new Uint8Array(13);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  header[8] = 8;
  header[9] = channels === 1 ? 0 : 2;
  const stride = width * channels;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++)
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const signature = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
  const parts = [
    signature,
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlibSync(raw, { level: 6 })),
    pngChunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
