import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectedComponents } from '../core/connected-components.js';
import { voxelVolumeMl } from '../core/geometry.js';
import type { ModelCard } from '../models/model-card.js';
import { segmentStudy, argmax } from './segment-study.js';
import { diffusionPhantom, fakeInfarctModel } from './test-fixtures.js';

type Card = Pick<ModelCard, 'task' | 'inputs' | 'labels' | 'operatingPoint'>;

function card(overrides: Partial<Card> = {}): Card {
  return {
    task: 'infarct',
    inputs: { channels: ['dwi', 'adc'], spacingMm: [3, 3, 3], normalisation: 'dwi-adc' },
    labels: { '1': 'infarct' },
    operatingPoint: { threshold: 0.9, targetSensitivity: 0.95 },
    ...overrides,
  };
}

describe('segmentStudy', () => {
  it('finds the infarct blob on the native grid with its volume, and calls the study positive', async () => {
    const p = diffusionPhantom();
    const model = fakeInfarctModel();
    const stages = new Set<string>();
    const r = await segmentStudy({
      images: [p.dwi, p.adc],
      task: 'infarct',
      model: { card: card(), run: model.run },
      onProgress: (stage) => stages.add(stage),
    });
    assert.equal(r.labelsNative.length, p.dwi.data.length);
    assert.equal(r.probabilityNative.length, p.dwi.data.length);
    assert.deepEqual(r.native, p.dwi.geometry);
    const truthMl = p.blobVoxels * voxelVolumeMl(p.dwi.geometry);
    const found = r.volumesMl.infarct!;
    assert.ok(Math.abs(found - truthMl) < 0.35 * truthMl, `found ${found} mL, truth ${truthMl}`);
    assert.equal(r.lesionCount, 1);
    assert.equal(r.largestLesionMl, found);
    // The lesion is where the blob is: its centre voxel is labelled, a far corner of the head is not.
    const [nx, ny] = p.dwi.geometry.shape;
    const at = (i: number, j: number, k: number) => i + nx * (j + ny * k);
    // blob centre (12, 0, 4) mm → i = (39 − 12)/2 = 13.5, j = 43/2 = 21.5, k = 40/2.5 = 16
    assert.equal(r.labelsNative[at(13, 21, 16)], 1);
    assert.equal(r.labelsNative[at(30, 21, 16)], 0);
    assert.ok(r.probabilityNative[at(13, 21, 16)]! > 0.99);
    assert.ok(r.triage.score > 0.99);
    assert.equal(r.triage.threshold, 0.9);
    assert.equal(r.triage.positive, true);
    assert.deepEqual(r.patchSize, r.modelGrid.shape.slice().reverse());
    assert.equal(model.calls.length, 1);
    assert.ok(stages.has('inference'));
    for (const stage of ['prepare', 'inference', 'native', 'postprocess'] as const)
      assert.ok(r.timingsMs[stage] >= 0);
  });

  it('removes lesions smaller than minLesionMl and keeps them with the default', async () => {
    const p = diffusionPhantom({ speck: true });
    const withSpeck = await segmentStudy({
      images: [p.dwi, p.adc],
      task: 'infarct',
      model: { card: card(), run: fakeInfarctModel().run },
    });
    assert.equal(withSpeck.lesionCount, 2);
    const filtered = await segmentStudy({
      images: [p.dwi, p.adc],
      task: 'infarct',
      model: { card: card(), run: fakeInfarctModel().run },
      options: { minLesionMl: 0.5 },
    });
    assert.equal(filtered.lesionCount, 1);
    assert.equal(filtered.removedLesions, 1);
    assert.ok(filtered.volumesMl.infarct! < withSpeck.volumesMl.infarct!);
    const cc = connectedComponents(filtered.labelsNative, p.dwi.geometry.shape);
    assert.equal(cc.count, 1, 'the label map written out holds one lesion');
  });

  it('mirroring TTA runs 8 flips per patch and a patch from the card tiles the grid', async () => {
    const p = diffusionPhantom();
    const plain = await segmentStudy({
      images: [p.dwi, p.adc],
      task: 'infarct',
      model: { card: card(), run: fakeInfarctModel().run },
    });
    const model = fakeInfarctModel();
    const tta = await segmentStudy({
      images: [p.dwi, p.adc],
      task: 'infarct',
      model: {
        card: card({ inputs: { ...card().inputs, trainingPatchSize: [16, 16, 16] } }),
        run: model.run,
      },
      options: { tta: true },
    });
    assert.equal(tta.modelRuns % 8, 0);
    assert.ok(tta.modelRuns > 8, `${tta.modelRuns} runs`);
    assert.ok(model.calls.every((m) => m === 16 ** 3));
    // A voxel-wise model gives the same answer whatever the tiling and flips.
    assert.equal(tta.volumesMl.infarct, plain.volumesMl.infarct);
  });

  it('without an operating point, positive means a lesion was kept; negative on a normal head', async () => {
    const normal = diffusionPhantom();
    normal.dwi.data.forEach((x, v) => (normal.dwi.data[v] = x > 0 ? 500 : 0));
    const r = await segmentStudy({
      images: [normal.dwi, normal.adc],
      task: 'infarct',
      model: { card: card({ operatingPoint: null }), run: fakeInfarctModel().run },
    });
    assert.equal(r.lesionCount, 0);
    assert.equal(r.triage.threshold, null);
    assert.equal(r.triage.positive, false);
    assert.ok(r.triage.score < 0.5);
    assert.ok(r.labelsNative.every((l) => l === 0));
  });

  it('refuses a model for another task or with a wrong class count', async () => {
    const p = diffusionPhantom();
    await assert.rejects(
      segmentStudy({
        images: [p.dwi, p.adc],
        task: 'ich',
        model: { card: card(), run: fakeInfarctModel().run },
      }),
      /model is for task 'infarct'/,
    );
    await assert.rejects(
      segmentStudy({
        images: [p.dwi, p.adc],
        task: 'infarct',
        model: { card: card({ labels: { '1': 'a', '2': 'b' } }), run: fakeInfarctModel().run },
      }),
      /2 classes but its card lists 2 labels/,
    );
  });
});

describe('argmax', () => {
  it('takes the most probable class and 1 − P(background) as lesion probability', () => {
    // 3 classes, 2 voxels: voxel 0 → class 2; voxel 1 → background (0.4 > 0.35, 0.25).
    const probs = Float32Array.from([0.1, 0.4, 0.3, 0.35, 0.6, 0.25]);
    const { labels, lesionProbability } = argmax(probs, 3, 2);
    assert.deepEqual([...labels], [2, 0]);
    assert.deepEqual(
      [...lesionProbability].map((x) => Math.round(x * 100) / 100),
      [0.9, 0.6],
    );
  });
});
