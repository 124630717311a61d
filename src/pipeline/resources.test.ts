import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createVolume } from '../core/volume.js';
import type { ModelCard } from '../models/model-card.js';
import { createResources, type ResourceLoader } from './resources.js';

function fakeLoader(calls: string[]): ResourceLoader {
  const geometry = {
    shape: [4, 4, 4],
    spacingMm: [1, 1, 1],
    originMm: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  } as const;
  const volume = () => createVolume(geometry, new Float32Array(64));
  const atlas = () => ({ map: volume(), names: new Map<number, string>() });
  return {
    model: async (task) => {
      calls.push(`model:${task}`);
      const card = {
        task,
        inputs: { channels: ['ct'], spacingMm: [1, 1, 1], normalisation: 'ct-brain-window' },
        labels: { '1': 'lesion' },
        operatingPoint: { threshold: 0.5, targetSensitivity: 0.99 },
        training: { config: { augment: { flipLr: true, flipOther: false } } },
      } as unknown as ModelCard;
      return { card, source: 'fake', run: async (x) => x, release: async () => undefined };
    },
    registrationTemplate: () => {
      calls.push('template');
      return { name: 'fake', image: volume() };
    },
    brainMask: () => (calls.push('brainMask'), volume()),
    lobeAtlas: () => (calls.push('lobes'), atlas()),
    territoryAtlas: () => (calls.push('territories'), { ...atlas(), groups: new Map() }),
  };
}

describe('createResources', () => {
  it('calls the loader once per item, however often it is asked', async () => {
    const calls: string[] = [];
    const resources = createResources(fakeLoader(calls));
    for (let n = 0; n < 3; n++) {
      await resources.model('ich');
      resources.brainMask();
      resources.lobeAtlas();
      resources.territoryAtlas();
    }
    assert.deepEqual(calls, ['model:ich', 'brainMask', 'lobes', 'territories']);
    assert.deepEqual(resources.loads, {
      model: 1,
      template: 0,
      brainMask: 1,
      lobeAtlas: 1,
      territoryAtlas: 1,
    });
  });

  it("gives the task spec from the card: the card's mirror axes and operating point", async () => {
    const { spec } = await createResources(fakeLoader([])).model('ich');
    assert.deepEqual(spec.mirrorAxes, ['x']);
    assert.equal(spec.operatingPoint, 0.5);
    assert.equal(spec.templateKind, 'ct');
    assert.deepEqual(spec.labels, { 1: 'lesion' });
  });

  it('does not keep a failed model load', async () => {
    let fail = true;
    const loader = fakeLoader([]);
    const resources = createResources({
      ...loader,
      model: (task) => (fail ? Promise.reject(new Error('no model')) : loader.model(task)),
    });
    await assert.rejects(resources.model('infarct'), /no model/);
    fail = false;
    assert.equal((await resources.model('infarct')).spec.task, 'infarct');
  });
});
