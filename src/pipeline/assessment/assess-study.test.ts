/**
 * The assessment on constructed scans in template space (registration = identity), with the
 * real lobe atlas and brain mask: a whole-brain slab is assessable; a slab that stops above the
 * posterior fossa is not assessable for a negative and names the regions it missed, while a
 * positive finding stays positive with the reasons; a slab that cuts part of the cerebellum is
 * a negative that says what it covers; a failed registration is not assessable.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Geometry } from '../../core/geometry.js';
import { createVolume } from '../../core/volume.js';
import { dataRoot } from '../../io/data-root.js';
import { referenceLoader } from '../../io/reference-loader.js';
import type { Registered } from '../locate-findings.js';
import { assessStudy, assessedSummary, triageState } from './assess-study.js';

const loader = referenceLoader(() => dataRoot());
const lobes = loader.lobeAtlas();
const mask = loader.brainMask();
const IDENTITY = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

/** A 2-mm MR slab in template LPS space from zFromMm to 114 mm, every voxel with signal. */
function slab(zFromMm: number) {
  const nz = Math.round((114 - zFromMm) / 2) + 1;
  const geometry: Geometry = {
    shape: [97, 117, nz],
    spacingMm: [2, 2, 2],
    originMm: [-96, -98, zFromMm],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  };
  return createVolume(geometry, new Float32Array(97 * 117 * nz).fill(100), { modality: 'MR' });
}

function registered(ok: boolean): Registered {
  return {
    reg: {
      ok,
      ...(!ok && { failureReason: 'low similarity' }),
      patientToTemplate: IDENTITY,
      template: 'mni',
      quality: { score: ok ? 0.3 : 0.1, minScore: 0.15 },
    } as unknown as Registered['reg'],
    registrationMs: 1,
  };
}

const assess = (zFromMm: number, ok = true) =>
  assessStudy({
    task: 'infarct',
    images: [slab(zFromMm)],
    registered: registered(ok),
    lobeAtlas: () => lobes,
    brainMask: () => mask,
  });

describe('assessStudy', () => {
  it('a whole-brain slab is assessable and every region is imaged', () => {
    const a = assess(-78);
    assert.deepEqual(a.reasons, []);
    assert.equal(a.coverage!.regions.length, 12);
    assert.ok(
      a.coverage!.regions.every((r) => r.fraction >= 0.95),
      JSON.stringify(a.coverage),
    );
    assert.equal(triageState(false, a), 'negative');
  });

  it('a slab above the posterior fossa: not assessable for a negative, naming what it missed', () => {
    const a = assess(0);
    assert.deepEqual(
      a.reasons.map((r) => r.code),
      ['coverage'],
    );
    assert.match(a.reasons[0]!.message, /brainstem \d+ %.*cerebellum 0 %/);
    assert.equal(triageState(false, a), 'not assessable');
    assert.match(
      assessedSummary({
        summary: 'No acute infarct detected',
        state: 'not assessable',
        assessment: a,
      }),
      /^Not assessable: brain coverage incomplete: brainstem/,
    );
    // a finding in the imaged part is still reported
    assert.equal(triageState(true, a), 'positive');
    assert.match(
      assessedSummary({ summary: 'Acute infarct, 3.0 mL', state: 'positive', assessment: a }),
      /^Acute infarct, 3\.0 mL \(the rest of the study is not assessable: brain coverage/,
    );
  });

  it('a slab that cuts the lower cerebellum: a negative that says what it covers', () => {
    const a = assess(-44);
    const cerebellum = a.coverage!.regions.find((r) => r.region === 'cerebellum')!;
    assert.ok(cerebellum.fraction >= 0.5 && cerebellum.fraction < 0.9, `${cerebellum.fraction}`);
    assert.deepEqual(a.reasons, []);
    assert.match(
      assessedSummary({ summary: 'No acute infarct detected', state: 'negative', assessment: a }),
      /; covers the imaged part only: .*cerebellum \d+ % imaged/,
    );
  });

  it('a failed registration is not assessable, with its quality and the bar', () => {
    const a = assess(-78, false);
    assert.equal(a.coverage, null);
    assert.deepEqual(
      a.reasons.map((r) => [r.code, r.measured, r.limit]),
      [['registration', 0.1, 0.15]],
    );
    assert.equal(triageState(false, a), 'not assessable');
  });

  it('zero-filled slices image nothing: the same slab with its lower half zeroed misses the fossa', () => {
    const image = slab(-78);
    const [nx, ny] = image.geometry.shape;
    image.data.fill(0, 0, nx * ny * 40); // z −78 … 0 mm
    const a = assessStudy({
      task: 'infarct',
      images: [image],
      registered: registered(true),
      lobeAtlas: () => lobes,
      brainMask: () => mask,
    });
    assert.match(a.reasons[0]?.message ?? '', /cerebellum 0 %/);
  });
});
