import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Geometry } from '../core/geometry.js';
import { UserInputError } from '../core/errors.js';
import { type Volume, createVolume } from '../core/volume.js';
import { readNiftiFile } from '../io/nifti/nifti-file.js';
import { sharedDataPath } from '../testing/shared-data.js';
import {
  ADC_MAX_MM2_PER_S,
  computeDiffusionMaps,
  adcUnitsOf,
  detectAdcUnits,
  normaliseAdc,
  withDetectedAdcUnits,
} from './diffusion-maps.js';

const geometry: Geometry = {
  shape: [4, 4, 2],
  spacingMm: [2, 2, 4],
  originMm: [-3, -3, 0],
  direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
};
const N = 32;

/** Phantom: S0 and the diffusivity along x, y, z of each voxel (mm²/s). */
function phantom() {
  const s0 = new Float32Array(N);
  const d: [Float64Array, Float64Array, Float64Array] = [
    new Float64Array(N),
    new Float64Array(N),
    new Float64Array(N),
  ];
  for (let v = 0; v < N; v++) {
    s0[v] = 200 + 40 * (v % 7);
    const mean = 0.0004 + 0.00008 * v; // 0.0004 … 0.00288 mm²/s
    d[0][v] = mean * 1.3;
    d[1][v] = mean * 0.9;
    d[2][v] = mean * 0.8;
  }
  return { s0, d, meanAdc: (v: number) => (d[0][v]! + d[1][v]! + d[2][v]!) / 3 };
}

function volume(data: Float32Array): Volume<Float32Array> {
  return createVolume(geometry, data, { modality: 'MR' });
}

function weighted(s0: Float32Array, b: number, dAxis: Float64Array): Volume<Float32Array> {
  return volume(s0.map((s, v) => s * Math.exp(-b * dAxis[v]!)));
}

function assertClose(actual: ArrayLike<number>, expected: (v: number) => number, tol: number) {
  for (let v = 0; v < actual.length; v++)
    assert.ok(
      Math.abs(actual[v]! - expected(v)) <= tol,
      `voxel ${v}: ${actual[v]} vs expected ${expected(v)}`,
    );
}

describe('computeDiffusionMaps', () => {
  it('recovers S0, the trace and the mean ADC (mm²/s) of an anisotropic phantom at one shell', () => {
    const { s0, d, meanAdc } = phantom();
    const b0a = volume(s0.map((s) => s * 1.02));
    const b0b = volume(s0.map((s) => s * 0.98));
    const maps = computeDiffusionMaps({
      volumes: [
        b0a,
        weighted(s0, 1000, d[0]),
        b0b,
        weighted(s0, 1000, d[1]),
        weighted(s0, 1000, d[2]),
      ],
      bValues: [0, 1000, 5, 1000, 1000],
    });
    assert.equal(maps.bValue, 1000);
    assert.equal(maps.adc.meta.units, 'mm2/s');
    assertClose(maps.b0.data, (v) => s0[v]!, 1e-3);
    assertClose(maps.trace.data, (v) => s0[v]! * Math.exp(-1000 * meanAdc(v)), 1e-3);
    // b0 sits at the mean b of the unweighted volumes (2.5): ADC = ln(S0/Sb)/(1000 − 2.5).
    assertClose(maps.adc.data, (v) => (1000 * meanAdc(v)) / 997.5, 1e-7);
  });

  it('fits ADC by log-linear least squares over several shells', () => {
    const { s0, d, meanAdc } = phantom();
    const volumes = [volume(s0)];
    const bValues = [0];
    for (const b of [500, 1000, 2000])
      for (const axis of d) {
        volumes.push(weighted(s0, b, axis));
        bValues.push(b);
      }
    const maps = computeDiffusionMaps({ volumes, bValues });
    assert.equal(maps.bValue, 2000);
    assertClose(maps.adc.data, meanAdc, 1e-7);
    const at1000 = computeDiffusionMaps({ volumes, bValues }, { targetBValue: 1000 });
    assert.equal(at1000.bValue, 1000);
    assertClose(at1000.trace.data, (v) => s0[v]! * Math.exp(-1000 * meanAdc(v)), 1e-3);
    assert.throws(
      () => computeDiffusionMaps({ volumes, bValues }, { targetBValue: 3000 }),
      /no shell at b=3000/,
    );
  });

  it('uses an isotropic trace volume when there is no directional one, and ignores it otherwise', () => {
    const { s0, meanAdc } = phantom();
    const trace = volume(s0.map((s, v) => s * Math.exp(-800 * meanAdc(v))));
    const onlyTrace = computeDiffusionMaps({
      volumes: [volume(s0), trace],
      bValues: [0, 800],
      kinds: ['b0', 'trace'],
    });
    assertClose(onlyTrace.trace.data, (v) => trace.data[v]!, 1e-4);
    assertClose(onlyTrace.adc.data, meanAdc, 1e-7);
    // Philips-style series: directional volumes plus a derived trace (here deliberately wrong).
    const { d } = phantom();
    const mixed = computeDiffusionMaps({
      volumes: [volume(s0), ...d.map((axis) => weighted(s0, 800, axis)), volume(s0)],
      bValues: [0, 800, 800, 800, 800],
      kinds: ['b0', 'directional', 'directional', 'directional', 'trace'],
    });
    assertClose(mixed.adc.data, meanAdc, 1e-7);
  });

  it('sets ADC to 0 below the noise threshold and clamps it to [0, 0.005] mm²/s', () => {
    const s0 = new Float32Array(N).fill(1000);
    const sb = new Float32Array(N).fill(1000 * Math.exp(-1000 * 0.001));
    s0[0] = 3; // background: below 5 % of the b0's 99th percentile
    sb[0] = 1;
    sb[1] = 1000 * Math.exp(-1000 * 0.02); // faster than free water → clamped
    sb[2] = 1200; // brighter than b0 → negative → 0
    sb[3] = 0; // fully attenuated
    const maps = computeDiffusionMaps({ volumes: [volume(s0), volume(sb)], bValues: [0, 1000] });
    assert.equal(maps.adc.data[0], 0);
    assert.equal(maps.adc.data[1], Math.fround(ADC_MAX_MM2_PER_S));
    assert.equal(maps.adc.data[2], 0);
    assert.equal(maps.adc.data[3], Math.fround(ADC_MAX_MM2_PER_S));
    assert.ok(Math.abs(maps.adc.data[4]! - 0.001) < 1e-8);
    const strict = computeDiffusionMaps(
      { volumes: [volume(s0), volume(sb)], bValues: [0, 1000] },
      { minSignal: 2000 },
    );
    assert.ok(strict.adc.data.every((x) => x === 0));
  });

  it('refuses inputs without b0, without weighted volumes, or with mismatched lengths', () => {
    const v = volume(new Float32Array(N).fill(100));
    assert.throws(() => computeDiffusionMaps({ volumes: [v], bValues: [1000] }), UserInputError);
    assert.throws(() => computeDiffusionMaps({ volumes: [v], bValues: [0] }), UserInputError);
    assert.throws(() => computeDiffusionMaps({ volumes: [v, v], bValues: [0] }), /2 volumes/);
  });
});

describe('detectAdcUnits / normaliseAdc', () => {
  /** Brain-like ADC values in mm²/s: mostly tissue, some CSF, background zeros. */
  function brainAdc(scale: number): Volume<Float32Array> {
    const data = new Float32Array(N);
    for (let v = 0; v < N; v++)
      data[v] = v < 6 ? 0 : (v < 26 ? 0.0007 + 0.00001 * v : 0.003) / scale;
    return volume(data);
  }

  it('detects once: withDetectedAdcUnits records the units that adcUnitsOf and normaliseAdc read', () => {
    const { volume: stamped, detection } = withDetectedAdcUnits(brainAdc(1e-3));
    assert.equal(detection.units, '1e-3 mm2/s');
    assert.equal(stamped.meta.units, '1e-3 mm2/s');
    // Values that alone would fit another scale: the recorded units win, no new detection.
    const resampledLike = createVolume(
      stamped.geometry,
      new Float32Array(N).fill(0.0008),
      stamped.meta,
    );
    assert.equal(adcUnitsOf(resampledLike).units, '1e-3 mm2/s');
    assert.ok(Math.abs(normaliseAdc(resampledLike).data[0]! - 0.0008e-3) < 1e-12);
    assert.equal(adcUnitsOf(brainAdc(1e-6)).units, '1e-6 mm2/s');
  });

  it('recognises mm²/s, 10⁻³ mm²/s and 10⁻⁶ mm²/s from the median brain value', () => {
    assert.equal(detectAdcUnits(brainAdc(1)).units, 'mm2/s');
    assert.equal(detectAdcUnits(brainAdc(1e-3)).units, '1e-3 mm2/s');
    const micro = detectAdcUnits(brainAdc(1e-6));
    assert.equal(micro.units, '1e-6 mm2/s');
    assert.equal(micro.scaleToMm2PerS, 1e-6);
    assert.match(micro.reason, /median/);
    assert.throws(() => detectAdcUnits(brainAdc(1e-1)), /cannot tell ADC units/);
    assert.throws(() => detectAdcUnits(volume(new Float32Array(N))), /no positive voxel/);
  });

  it('normalises to Float32 mm²/s and records the conversion', () => {
    const out = normaliseAdc(brainAdc(1e-6));
    assert.equal(out.meta.units, 'mm2/s');
    assert.ok(out.data instanceof Float32Array);
    assert.ok(Math.abs(out.data[10]! - 0.0008) < 1e-9);
    assert.deepEqual(out.meta.provenance.at(-1)?.op, 'normalise-adc');
  });

  it('detects the ISLES’22 example ADC (integers) as 10⁻⁶ mm²/s', () => {
    const image = readNiftiFile(sharedDataPath('cases', 'isles22-mca-example', 'adc.nii.gz'));
    const adc = image.volumes[0]!;
    const detected = detectAdcUnits(adc);
    assert.equal(detected.units, '1e-6 mm2/s', detected.reason);
    const mm2 = normaliseAdc(adc);
    const positives = Float64Array.from(mm2.data)
      .filter((x) => x > 0)
      .sort();
    const median = positives[Math.floor(positives.length / 2)]!;
    assert.ok(median > 0.0005 && median < 0.0015, `median brain ADC ${median} mm²/s`);
  });
});
