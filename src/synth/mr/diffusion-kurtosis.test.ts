import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apparentAdc, diffusivityFromApparent, kurtosisSignal } from './diffusion-kurtosis.js';

describe('diffusion kurtosis', () => {
  it('recovers D from an apparent ADC and gives that ADC back at the same b', () => {
    for (const [a, b, k] of [
      [0.7e-3, 1000, 0.9],
      [0.55e-3, 2500, 1.0],
      [0.8e-3, 1500, 0.6],
    ] as const) {
      const d = diffusivityFromApparent(a, b, k);
      assert.ok(d > a, 'D exceeds the apparent ADC when K > 0');
      assert.ok(Math.abs(apparentAdc(d, k, b) - a) < 1e-9, `${a} at b${b}`);
    }
  });

  it('lowers the apparent ADC of tissue at high b (grey matter ~20 % from b1000 to b2500)', () => {
    const d = diffusivityFromApparent(0.8e-3, 1000, 0.9);
    const ratio = apparentAdc(d, 0.9, 2500) / apparentAdc(d, 0.9, 1000);
    assert.ok(ratio > 0.7 && ratio < 0.9, `ratio ${ratio}`);
    // free water has no kurtosis: the same ADC at every b
    assert.ok(Math.abs(apparentAdc(3e-3, 0, 2500) - 3e-3) < 1e-12);
  });

  it('never lets the signal rise with b', () => {
    let last = Infinity;
    for (let b = 0; b <= 6000; b += 250) {
      const s = kurtosisSignal(100, 1e-3, 1.2, b);
      assert.ok(s <= last + 1e-9, `b ${b}`);
      last = s;
    }
  });
});
