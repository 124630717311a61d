/**
 * Golden end-to-end test of `analyzeStudy`: the shipped models on the three reference studies
 * give the recorded labels (sha256 of the voxels), volumes, lesion count and triage score
 * (src/testing/reference-analyses.json, `npm run record:references`, which records them through
 * the CLI). One `Resources` serves all three: the second infarct study loads nothing.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dataRoot } from '../io/data-root.js';
import { referenceLoader } from '../io/reference-loader.js';
import { type CatalogEntry, openCatalog } from '../io/series-catalog.js';
import { loadModelFolder } from '../models/model-loader.js';
import { REFERENCE_CASES, labelsSha256, referenceFor } from '../testing/reference-cases.js';
import { repoRoot } from '../testing/shared-data.js';
import { analyzeStudy } from './analyze-study.js';
import { createResources } from './resources.js';
import { selectInputs } from './select-inputs.js';

const MODEL_DIRS = { ich: 'ich-ct', infarct: 'infarct-dwi' } as const;

describe('reference analyses (analyzeStudy)', () => {
  const resources = createResources({
    ...referenceLoader(() => dataRoot()),
    model: (task) => loadModelFolder(join(repoRoot(), 'models', MODEL_DIRS[task])),
  });
  after(() => resources.release());
  const loadModelMs: Record<string, number> = {};

  for (const c of REFERENCE_CASES)
    it(`${c.name}: same labels, volumes, lesion count and triage score`, async () => {
      const expected = referenceFor(c);
      const entries: CatalogEntry[] = c.inputs().flatMap((path) => openCatalog(path).entries);
      const selected = await selectInputs({ entries, task: c.task });
      const analysis = await analyzeStudy(
        { images: selected.images, task: selected.task },
        resources,
      );
      loadModelMs[c.name] = analysis.timingsMs.loadModel!;
      const s = analysis.segmentation;
      assert.deepEqual(
        {
          labelsSha256: labelsSha256(s.labelsNative),
          volumesMl: s.volumesMl,
          totalLesionMl: s.totalLesionMl,
          lesionCount: s.lesionCount,
          triageScore: s.triage.score,
          positive: s.triage.positive,
        },
        expected,
      );
    });

  it('loaded each model, template and atlas once for the three studies', () => {
    // The second infarct study found its model loaded (verifying + a session: ≥ 10 ms).
    assert.ok(
      loadModelMs['isles22-mca-example']! < loadModelMs['synthetic-infarct-seed8']!,
      JSON.stringify(loadModelMs),
    );
    assert.deepEqual(resources.loads, {
      model: 2,
      template: 2,
      brainMask: 1,
      lobeAtlas: 1,
      territoryAtlas: 1,
    });
  });
});
