import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../core/random.js';
import {
  EDGE_MIN_THICK_MM,
  extraAxialThicknessMm,
  placeExtraAxial,
} from './ct-lesion-extra-axial.js';
import type { LesionContext } from './ct-lesion-context.js';
import { CODE, createScene } from './ct-scene.js';

/** A spherical skull: intracranial space within 65 mm of the head centre (0, 15, 15). */
const RADIUS_MM = 65;
const sphere = (x: number, y: number, z: number) =>
  Math.hypot(x, y - 15, z - 15) < RADIUS_MM ? 1 : 0;

function context(): LesionContext {
  const one = () => 1;
  return {
    scene: createScene(),
    brain: sphere,
    grey: one,
    csf: () => 0,
    intracranial: sphere,
    lobes: () => 1,
    gravity: [0, 1, 0],
  };
}

/** Thickest point of the painted SDH: depth below the inner table, mm. */
function thicknessMm(ctx: LesionContext): number {
  const { volume, minMm, shape } = ctx.scene;
  let deepest = 0;
  let v = 0;
  for (let k = 0; k < shape[2]; k++)
    for (let j = 0; j < shape[1]; j++)
      for (let i = 0; i < shape[0]; i++, v++) {
        if (volume.data[v] !== CODE.SDH) continue;
        const r = Math.hypot(minMm[0] + i, minMm[1] + j - 15, minMm[2] + k - 15);
        deepest = Math.max(deepest, RADIUS_MM - r);
      }
  return deepest;
}

describe('placeExtraAxial', () => {
  it('draws subacute (isodense) subdurals only when thick enough to show, acute ones from 3 mm', () => {
    const subacute: number[] = [];
    const acute: number[] = [];
    for (let seed = 1; seed <= 30; seed++) {
      const ctx = context();
      const lesion = placeExtraAxial(createRng(seed), ctx, 'SDH', {});
      if (!lesion) continue;
      const thick = thicknessMm(ctx);
      (lesion.kind === 'SDH subacute' ? subacute : acute).push(thick);
    }
    assert.ok(subacute.length >= 1, `some subacute SDH among 30 (got ${subacute.length})`);
    // 8 mm at the thickest point, less a voxel of rasterisation.
    for (const t of subacute) assert.ok(t >= 7, `subacute SDH ${t.toFixed(1)} mm thick`);
    assert.ok(
      acute.some((t) => t < 7),
      'thin acute SDH are still drawn',
    );
  });

  it('a collection thins towards its rim and ends at 2 mm', () => {
    assert.equal(extraAxialThicknessMm('SDH', 10, 0), 10);
    assert.equal(extraAxialThicknessMm('EDH', 10, 0.6), 8);
    assert.equal(extraAxialThicknessMm('SDH', 10, 0.99), 0, 'the thin rim is not drawn');
    assert.equal(extraAxialThicknessMm('SDH', 1.9, 0), 0);
  });

  it('paints no subdural tail along the inner table thinner than ~2 mm', () => {
    // For every SDH voxel touching the inner table, look 1 mm deeper along its ray from the head
    // centre: blood there too, except for a rasterisation fringe at the crescent's edge (~0.5 %
    // of them). With the old taper to zero, 8 % had nothing deeper (2.5–14 % per crescent).
    let surface = 0;
    let thin = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const ctx = context();
      if (!placeExtraAxial(createRng(seed), ctx, 'SDH', {})) continue;
      const { volume, minMm, shape } = ctx.scene;
      const at = (p: readonly [number, number, number]) => {
        const [i, j, k] = [0, 1, 2].map((a) => Math.round(p[a]! - minMm[a]!)) as [
          number,
          number,
          number,
        ];
        if (i < 0 || j < 0 || k < 0 || i >= shape[0] || j >= shape[1] || k >= shape[2]) return 0;
        return volume.data[i + shape[0] * (j + shape[1] * k)];
      };
      let v = 0;
      for (let k = 0; k < shape[2]; k++)
        for (let j = 0; j < shape[1]; j++)
          for (let i = 0; i < shape[0]; i++, v++) {
            if (volume.data[v] !== CODE.SDH) continue;
            const [x, y, z] = [minMm[0] + i, minMm[1] + j - 15, minMm[2] + k - 15];
            const r = Math.hypot(x, y, z);
            if (RADIUS_MM - r > 0.5) continue;
            surface++;
            const f = (r - EDGE_MIN_THICK_MM / 2) / r;
            if (at([x * f, y * f + 15, z * f + 15]) !== CODE.SDH) thin++;
          }
    }
    assert.ok(surface > 10000, `${surface} SDH voxels against the inner table`);
    assert.ok(
      thin / surface < 0.02,
      `${((100 * thin) / surface).toFixed(1)} % of them a thin tail`,
    );
  });
});
