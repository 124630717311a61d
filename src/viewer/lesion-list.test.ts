import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lesionsFromLabels, lesionsFromReport } from './lesion-list.js';

describe('lesion list', () => {
  it('turns report lesions (LPS) into RAS positions with a where line', () => {
    const [l] = lesionsFromReport([
      {
        volumeMl: 3.5,
        labels: [{ name: 'infarct' }],
        centreMm: [10, -20, 30],
        region: 'supratentorial',
        territories: [{ name: 'MCA left' }],
        structures: [{ name: 'frontal lobe (lateral)' }],
      },
    ]);
    assert.deepEqual(l, {
      label: 'infarct',
      volumeMl: 3.5,
      where: 'MCA left; frontal lobe (lateral)',
      centreRasMm: [-10, 20, 30],
    });
  });

  it('finds components, their volumes and centres in the label map', () => {
    const shape: [number, number, number] = [10, 10, 10];
    const data = new Uint8Array(1000);
    const at = (x: number, y: number, z: number) => x + y * 10 + z * 100;
    // a 2×2×2 block of label 1 at x,y,z 1..2, and one voxel of label 2 at (8, 8, 8)
    for (const z of [1, 2]) for (const y of [1, 2]) for (const x of [1, 2]) data[at(x, y, z)] = 1;
    data[at(8, 8, 8)] = 2;
    // 2-mm voxels, origin at (-10, -10, -10) RAS
    const voxelToRas = [2, 0, 0, -10, 0, 2, 0, -10, 0, 0, 2, -10, 0, 0, 0, 1];
    const lesions = lesionsFromLabels({
      data,
      shape,
      voxelToRas,
      labelNames: { 1: 'IPH', 2: 'SAH' },
    });
    assert.equal(lesions.length, 2);
    assert.equal(lesions[0]!.label, 'IPH');
    assert.ok(Math.abs(lesions[0]!.volumeMl - 8 * 0.008) < 1e-12);
    assert.deepEqual(lesions[0]!.centreRasMm, [-7, -7, -7]);
    assert.equal(lesions[1]!.label, 'SAH');
    assert.deepEqual(lesions[1]!.centreRasMm, [6, 6, 6]);
  });
});
