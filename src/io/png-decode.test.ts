import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { zlibSync } from 'fflate';
import { decodePng } from './png-decode.js';
import { encodePng, pngChunk } from './png.js';

describe('decodePng', () => {
  it('reads back what encodePng wrote (RGB and greyscale)', () => {
    const pixels = Uint8Array.from({ length: 5 * 3 * 3 }, (_, i) => (i * 37) % 256);
    const rgb = decodePng(encodePng({ width: 5, height: 3, channels: 3, pixels }));
    assert.equal(rgb.width, 5);
    assert.equal(rgb.height, 3);
    assert.deepEqual(Array.from(rgb.rgba.subarray(4, 8)), [pixels[3], pixels[4], pixels[5], 255]);
    const grey = decodePng(
      encodePng({ width: 2, height: 1, channels: 1, pixels: Uint8Array.of(9, 200) }),
    );
    assert.deepEqual(Array.from(grey.rgba), [9, 9, 9, 255, 200, 200, 200, 255]);
  });

  it('undoes the Sub, Up, Average and Paeth filters (hand-filtered greyscale rows)', () => {
    // Image 3×4, greyscale, rows [10 20 30] [11 22 33] [5 5 5] [1 2 250]
    // row 0 Sub: 10, 10, 10; row 1 Up: 1, 2, 3; row 2 Average (a = left, b = up):
    //   x0: 5 - (0 + 11) >> 1 = 5 - 5 = 0; x1: 5 - (5 + 22) >> 1 = 5 - 13 = -8 → 248; x2: 5 - (5 + 33) >> 1 = 5 - 19 = -14 → 242
    // row 3 Paeth: x0: a 0, b 5, c 0 → p 5, picks b 5 → 1 - 5 = 252; x1: a 1, b 5, c 5 → p 1 picks a 1 → 2 - 1 = 1;
    //   x2: a 2, b 5, c 5 → p 2 picks a 2 → 250 - 2 = 248
    const raw = Uint8Array.of(1, 10, 10, 10, 2, 1, 2, 3, 3, 0, 248, 242, 4, 252, 1, 248);
    const header = new Uint8Array(13);
    new DataView(header.buffer).setUint32(0, 3);
    new DataView(header.buffer).setUint32(4, 4);
    header[8] = 8;
    header[9] = 0;
    const png = new Uint8Array([
      ...Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
      ...pngChunk('IHDR', header),
      ...pngChunk('IDAT', zlibSync(raw)),
      ...pngChunk('IEND', new Uint8Array(0)),
    ]);
    const image = decodePng(png);
    const grey = Array.from({ length: 12 }, (_, p) => image.rgba[p * 4]);
    assert.deepEqual(grey, [10, 20, 30, 11, 22, 33, 5, 5, 5, 1, 2, 250]);
  });

  it('refuses what is not a PNG', () => {
    assert.throws(() => decodePng(new Uint8Array(16)), /signature/);
  });
});
