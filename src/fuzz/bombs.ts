/**
 * Decompression bombs, made cheaply: 1 MiB of zeros is deflated once (sync flush, so blocks end
 * on a byte) and the block is repeated, giving gigabytes from a few hundred kilobytes. A zip
 * whose entry inflates hugely (one entry, lying sizes, many entries), and a gzipped NIfTI
 * whose header declares a huge volume (with the data cut short).
 */
import { constants, deflateRawSync } from 'node:zlib';
import type { Rng } from '../core/random.js';
import { writeZip } from './zip-bytes.js';

const MiB = 1 << 20;
let zeroBlock: Uint8Array | undefined;
const FINAL_EMPTY_BLOCK = new Uint8Array([0x03, 0x00]);

function syncFlushed(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(deflateRawSync(bytes, { level: 9, finishFlush: constants.Z_SYNC_FLUSH }));
}

/** Raw deflate of `mib` MiB of zeros after `prefix` (a complete stream). */
export function deflatedZeros(mib: number, prefix: Uint8Array = new Uint8Array(0)): Uint8Array {
  zeroBlock ??= syncFlushed(new Uint8Array(MiB));
  const head = prefix.length > 0 ? syncFlushed(prefix) : new Uint8Array(0);
  const out = new Uint8Array(head.length + zeroBlock.length * mib + FINAL_EMPTY_BLOCK.length);
  out.set(head, 0);
  for (let n = 0; n < mib; n++) out.set(zeroBlock, head.length + n * zeroBlock.length);
  out.set(FINAL_EMPTY_BLOCK, out.length - FINAL_EMPTY_BLOCK.length);
  return out;
}

export interface Bomb {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly detail: string;
}

/** A zip whose entries inflate to hundreds of MiB or more. */
export function zipBomb(rng: Rng): Bomb {
  const variant = rng.int(0, 3);
  const mib = variant === 3 ? 1100 : 256;
  const data = deflatedZeros(mib);
  const entry = (name: string, lie: boolean) => ({
    name,
    data,
    method: 8 as const,
    crc32: 0,
    uncompressedBytes: mib * MiB,
    ...(lie && { declaredUncompressedBytes: 1000 }),
  });
  const entries =
    variant === 2
      ? Array.from({ length: 8 }, (_, n) => entry(`bomb-${n}.dcm`, false))
      : [entry('bomb.dcm', variant === 1)];
  const what = ['one entry', 'one entry with lying sizes', '8 entries', 'one entry past 1 GiB'][
    variant
  ];
  return { name: 'bomb.zip', bytes: writeZip(entries), detail: `zip bomb: ${what} of ${mib} MiB` };
}

/** A NIfTI-1 header (352 bytes, little endian) declaring `dims` of `datatype`. */
export function niftiHeaderBytes(
  dims: readonly number[],
  datatype: number,
  bitpix: number,
): Uint8Array {
  const out = new Uint8Array(352);
  const view = new DataView(out.buffer);
  view.setInt32(0, 348, true);
  [dims.length, ...dims, 1, 1, 1, 1, 1, 1, 1]
    .slice(0, 8)
    .forEach((d, k) => view.setInt16(40 + 2 * k, d, true));
  view.setInt16(70, datatype, true);
  view.setInt16(72, bitpix, true);
  [1, 1, 1, 1, 1, 1, 1, 1].forEach((p, k) => view.setFloat32(76 + 4 * k, p, true));
  view.setFloat32(108, 352, true);
  out[123] = 2; // mm
  out.set([0x6e, 0x2b, 0x31, 0], 344);
  return out;
}

function gzipWrap(deflated: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(10 + deflated.length + 8);
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
  out.set(deflated, 10);
  // CRC left 0: a reader that checks it refuses the file, one that stops early never sees it.
  new DataView(out.buffer).setUint32(out.length - 4, size >>> 0, true);
  return out;
}

/** A .nii.gz whose header declares a huge volume, followed by fewer zeros than it declares. */
export function gzipNiftiBomb(rng: Rng): Bomb {
  const variant = rng.int(0, 2);
  // Every variant is cut short of what its header declares, so a reader must refuse each.
  const [dims, datatype, bitpix, mib] =
    variant === 0
      ? [[640, 640, 640], 2, 8, 128] // 262 M uint8 voxels, half of them there
      : variant === 1
        ? [[640, 640, 640], 4, 16, 128] // int16: a quarter there
        : [[32767, 32767, 32767], 16, 32, 64];
  const header = niftiHeaderBytes(dims, datatype, bitpix);
  const bytes = gzipWrap(deflatedZeros(mib, header), header.length + mib * MiB);
  return {
    name: 'bomb.nii.gz',
    bytes,
    detail: `gzip NIfTI declaring ${dims.join('×')} (datatype ${datatype}) with ${mib} MiB of zeros`,
  };
}
