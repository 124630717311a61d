import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { sha1 } from './sha1.js';

describe('sha1', () => {
  it('matches node:crypto on empty, short, block-boundary and long inputs', () => {
    for (const n of [0, 1, 3, 55, 56, 63, 64, 65, 119, 1000, 100_003]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255);
      const expected = createHash('sha1').update(bytes).digest('hex');
      assert.equal(Buffer.from(sha1(bytes)).toString('hex'), expected, `${n} bytes`);
    }
  });
});
