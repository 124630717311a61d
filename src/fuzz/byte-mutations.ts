/** Mutations that know nothing of the format: flipped bytes, truncation, empty, random bytes. */
import type { Rng } from '../core/random.js';

/** Flips 1–16 bits or overwrites 1–8 bytes with 0x00/0xff/random at random places. */
export function flipBytes(bytes: Uint8Array, rng: Rng): { bytes: Uint8Array; detail: string } {
  const out = bytes.slice();
  if (out.length === 0) return { bytes: out, detail: 'empty seed, nothing to flip' };
  const edits = rng.int(1, 16);
  const at: number[] = [];
  // Bias towards the first 4 KiB, where headers are.
  for (let n = 0; n < edits; n++) {
    const where = rng.chance(0.7)
      ? rng.int(0, Math.min(out.length, 4096) - 1)
      : rng.int(0, out.length - 1);
    const how = rng.int(0, 3);
    if (how === 0) out[where] = out[where]! ^ (1 << rng.int(0, 7));
    else if (how === 1) out[where] = 0;
    else if (how === 2) out[where] = 0xff;
    else out[where] = rng.int(0, 255);
    at.push(where);
  }
  return {
    bytes: out,
    detail: `${edits} byte edit(s) at ${at.slice(0, 4).join(', ')}${edits > 4 ? '…' : ''}`,
  };
}

/** Cuts the file: anywhere, inside the first 512 bytes, or a few bytes short of the end. */
export function truncate(bytes: Uint8Array, rng: Rng): { bytes: Uint8Array; detail: string } {
  const n = bytes.length;
  const choice = rng.int(0, 2);
  const keep =
    choice === 0
      ? rng.int(0, Math.max(0, n - 1))
      : choice === 1
        ? rng.int(0, Math.min(n, 512))
        : Math.max(0, n - rng.int(1, 64));
  return { bytes: bytes.slice(0, keep), detail: `truncated to ${keep} of ${n} bytes` };
}

/** Random bytes of a random length (up to 64 KiB), sometimes behind a valid-looking prefix. */
export function randomBytes(
  seedBytes: Uint8Array,
  rng: Rng,
): { bytes: Uint8Array; detail: string } {
  const length = rng.chance(0.5) ? rng.int(1, 600) : rng.int(600, 65536);
  const out = new Uint8Array(length);
  for (let n = 0; n < length; n++) out[n] = rng.int(0, 255);
  const keepPrefix = rng.chance(0.5)
    ? Math.min(seedBytes.length, rng.pick([4, 132, 348, 352, 540]))
    : 0;
  out.set(seedBytes.subarray(0, Math.min(keepPrefix, length)));
  return { bytes: out, detail: `${length} random bytes after ${keepPrefix} bytes of the seed` };
}
