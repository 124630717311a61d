/**
 * Real scans: the ISLES'22 DWI (right MCA infarct) and the Philips and UIH diffusion series to
 * the MNI 2009a T1, the GE head CT to the CT template. Each must be accepted, keep left and
 * right, and put anatomy where the template has it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { indexToWorldMatrix, worldToIndexAffine } from '../core/geometry.js';
import type { Vec3 } from '../core/vec.js';
import type { Volume } from '../core/volume.js';
import { loadTerritoryAtlas } from '../io/reference-data.js';
import { sharedDataPath } from '../testing/shared-data.js';
import { applyAffine } from './affine-matrix.js';
import { type RegistrationResult, registerToTemplate } from './register-affine.js';
import { diffusionMaps, islesImage, preparedTemplate, realHeadCt } from './test-fixtures.js';

function describeResult(r: RegistrationResult): string {
  const q = r.quality;
  return `ok ${r.ok}; MI ${q.value.toFixed(3)} nats, score ${q.score.toFixed(3)} (min ${q.minScore}), interior ${q.interiorScore.toFixed(3)} (min ${q.minInteriorScore}); overlap ${q.overlap.patientInTemplate.toFixed(2)}/${q.overlap.templateInPatient.toFixed(2)}; stretches ${r.transform.stretches.map((s) => s.toFixed(3)).join(', ')}; rotation ${r.transform.rotationAngleDeg.toFixed(1)}°; ${r.timingsMs.total.toFixed(0)} ms${r.failureReason ? `; ${r.failureReason}` : ''}`;
}

/** World positions (LPS mm) of the voxels where `keep(n)` holds. */
function voxelsWhere(v: Volume, keep: (n: number) => boolean): Vec3[] {
  const m = indexToWorldMatrix(v.geometry);
  const [nx, ny] = v.geometry.shape;
  const out: Vec3[] = [];
  for (let n = 0; n < v.data.length; n++) {
    if (!keep(n)) continue;
    const i = n % nx;
    const j = Math.floor(n / nx) % ny;
    const k = Math.floor(n / (nx * ny));
    out.push(
      [0, 1, 2].map(
        (a) => m[4 * a]! * i + m[4 * a + 1]! * j + m[4 * a + 2]! * k + m[4 * a + 3]!,
      ) as unknown as Vec3,
    );
  }
  return out;
}

const mean = (ps: Vec3[]): Vec3 =>
  [0, 1, 2].map((a) => ps.reduce((s, p) => s + p[a]!, 0) / ps.length) as unknown as Vec3;

describe('real scans register to their templates', () => {
  it("ISLES'22 DWI → MNI: accepted, brain centre on the template's, right-sided infarct lands in the right MCA territory", (t) => {
    const dwi = islesImage('dwi');
    const adc = islesImage('adc');
    const r = registerToTemplate({ patient: dwi, template: preparedTemplate('mr') });
    t.diagnostic(describeResult(r));
    assert.ok(r.ok, r.failureReason);
    assert.ok(r.quality.score >= r.quality.minScore);

    // Centre of the brain (non-zero voxels of this skull-stripped DWI) → near the template's.
    const brain = voxelsWhere(dwi, (n) => dwi.data[n]! > 0);
    const centre = applyAffine(r.patientToTemplate, mean(brain));
    const tc = preparedTemplate('mr').centreMm;
    const d = Math.hypot(centre[0] - tc[0], centre[1] - tc[1], centre[2] - tc[2]);
    t.diagnostic(
      `brain centre → ${centre.map((x) => x.toFixed(1)).join(', ')} mm; template brain centre ${tc.map((x) => x.toFixed(1)).join(', ')}; ${d.toFixed(1)} mm apart`,
    );
    // The scan covers 120 mm of a ~170 mm brain, so its centre need not be the template's.
    assert.ok(d < 15, `${d.toFixed(1)} mm`);

    // The infarct: bright on DWI, dark on ADC. It is in the patient's right hemisphere, so it
    // must map to x < 0 in LPS (+x is the patient's left) and mostly into 'MCA right'.
    const lesion = voxelsWhere(
      dwi,
      (n) => dwi.data[n]! > 150 && adc.data[n]! > 0 && adc.data[n]! < 600,
    );
    assert.ok(lesion.length > 200, `${lesion.length} lesion voxels found`);
    const atlas = loadTerritoryAtlas(sharedDataPath());
    const { m, o } = worldToIndexAffine(atlas.map.geometry);
    const [ax, ay, az] = atlas.map.geometry.shape;
    const groups = new Map<string, number>();
    let right = 0;
    for (const p of lesion) {
      const q = applyAffine(r.patientToTemplate, p);
      if (q[0] < 0) right++;
      const i = Math.round(m[0] * q[0] + m[1] * q[1] + m[2] * q[2] + o[0]);
      const j = Math.round(m[3] * q[0] + m[4] * q[1] + m[5] * q[2] + o[1]);
      const k = Math.round(m[6] * q[0] + m[7] * q[1] + m[8] * q[2] + o[2]);
      const label =
        i < 0 || j < 0 || k < 0 || i >= ax || j >= ay || k >= az
          ? 0
          : atlas.map.data[i + ax * (j + ay * k)]!;
      const g = atlas.groups.get(label) ?? 'outside';
      groups.set(g, (groups.get(g) ?? 0) + 1);
    }
    const shares = [...groups]
      .sort((a, b) => b[1] - a[1])
      .map(([g, c]) => `${g} ${((100 * c) / lesion.length).toFixed(0)} %`);
    t.diagnostic(
      `lesion ${lesion.length} voxels; x < 0 (right): ${((100 * right) / lesion.length).toFixed(0)} %; territories: ${shares.join(', ')}`,
    );
    assert.ok(right / lesion.length > 0.95);
    assert.ok((groups.get('MCA right') ?? 0) / lesion.length > 0.6, shares.join(', '));
  });

  it('GE head CT (18.5° gantry tilt) → CT template: accepted', async (t) => {
    const r = registerToTemplate({ patient: await realHeadCt(), template: preparedTemplate('ct') });
    t.diagnostic(describeResult(r));
    assert.ok(r.ok, r.failureReason);
    assert.ok(
      r.quality.score >= r.quality.minScore &&
        r.quality.interiorScore >= r.quality.minInteriorScore,
    );
    assert.ok(r.transform.stretches.every((s) => s > 0.85 && s < 1.25));
  });

  for (const name of ['dwi-philips', 'dwi-uih'])
    it(`${name} b0 and trace → MNI: accepted, and the two agree within a voxel (mean < 2.5 mm, max < 4 mm)`, async (t) => {
      const maps = await diffusionMaps(name);
      const b0 = registerToTemplate({ patient: maps.b0, template: preparedTemplate('mr') });
      const trace = registerToTemplate({ patient: maps.trace, template: preparedTemplate('mr') });
      t.diagnostic(`b0: ${describeResult(b0)}`);
      t.diagnostic(`trace: ${describeResult(trace)}`);
      assert.ok(b0.ok, b0.failureReason);
      assert.ok(trace.ok, trace.failureReason);
      // Same acquisition and grid, different contrast (CSF bright on b0, dark on the trace):
      // the two fits must agree on the brain inside the field of view to within a voxel
      // (Philips 3 mm, UIH 3.5 × 3.5 × 4.2 mm; measured mean 1.5 and 2.2 mm).
      const { m, o } = worldToIndexAffine(maps.b0.geometry);
      const shape = maps.b0.geometry.shape;
      let worst = 0;
      let sum = 0;
      let probes = 0;
      for (const x of [-40, 0, 40])
        for (const y of [-60, -20, 20, 50])
          for (const z of [-20, 10, 40, 60]) {
            const p = applyAffine(b0.templateToPatient, [x, y, z]);
            const inside = [0, 1, 2].every((a) => {
              const idx = m[3 * a]! * p[0] + m[3 * a + 1]! * p[1] + m[3 * a + 2]! * p[2] + o[a]!;
              return idx >= 0 && idx <= shape[a]! - 1;
            });
            if (!inside) continue;
            probes++;
            const q = applyAffine(trace.patientToTemplate, p);
            const d = Math.hypot(q[0] - x, q[1] - y, q[2] - z);
            worst = Math.max(worst, d);
            sum += d;
          }
      assert.ok(probes >= 12, `${probes} probe points inside the field of view`);
      t.diagnostic(
        `b0 vs trace: mean difference ${(sum / probes).toFixed(2)} mm, largest ${worst.toFixed(2)} mm over ${probes} points`,
      );
      assert.ok(sum / probes < 2.5, `mean ${(sum / probes).toFixed(2)} mm`);
      assert.ok(worst < 4, `largest ${worst.toFixed(2)} mm`);
    });
});
