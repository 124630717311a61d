import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../core/random.js';
import { placeExtraAxial } from './ct-lesion-extra-axial.js';
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
});
