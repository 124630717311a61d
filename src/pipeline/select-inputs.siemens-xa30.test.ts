/**
 * The real Siemens XA30 folder in the shared data (issue 25, part 2): raw directions (series
 * 10, a 3-direction subset), the scanner's ADC (11) and its TRACEW (12), all enhanced DICOM,
 * read through the real catalog. The scanner's TRACEW + ADC must be picked: they were made from
 * all 20 directions (the shared README: −ln(TRACEW/b0)/2500 reproduces the scanner's ADC to
 * ≈2×10⁻⁶ mm²/s), while the subset kept of series 10 gives only an approximate trace.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openCatalog } from '../io/series-catalog.js';
import { sharedDataPath } from '../testing/shared-data.js';
import { selectInputs } from './select-inputs.js';

const entries = openCatalog(sharedDataPath('dicom', 'dwi-siemens-xa30', 'dicom')).entries;
const numberOf = (id: string) => entries.find((e) => e.id === id)?.summary.seriesNumber;

describe('selectInputs on the real Siemens XA30 folder', () => {
  it("picks the scanner's TRACEW (12) as DWI and its ADC (11), skipping the raw series (10)", async () => {
    const s = await selectInputs({ entries });
    assert.equal(s.task, 'infarct');
    assert.deepEqual(s.series.map(numberOf), [12, 11]);
    assert.match(s.description, /DWI_dir80_PA_TRACEW.*DWI_dir80_PA_ADC.*ADC in 1e-6 mm2\/s/);
    assert.deepEqual(
      s.choice!.used.map((u) => [numberOf(u.id), u.role, u.why]),
      [
        [12, 'dwi', 'trace: ImageType TRACEW'],
        [11, 'adc', 'adc: ImageType ADC'],
      ],
    );
    assert.match(s.choice!.rule, /trace at b2500 with the ADC of the same acquisition/);
    assert.deepEqual(
      s.choice!.skipped.map((k) => numberOf(k.id)),
      [10],
    );
    assert.match(s.choice!.skipped[0]!.why, /^raw-dwi \(diffusion directions at b 0, 2500\)/);
    // The DWI is the b2500 trace image, the ADC the scanner's integer map (median ≈ 700 in brain).
    const [dwi, adc] = s.images;
    const brain = adc!.data.filter((x) => x > 200 && x < 1500).sort((a, b) => a - b);
    const median = brain[brain.length >> 1]!;
    assert.ok(median > 600 && median < 850, `median ADC ${median}`);
    assert.equal(dwi!.geometry.shape.join('×'), '72×72×39');
  });

  it('asked for series 10, computes trace and ADC from its b0 and b2500 directions', async () => {
    const s = await selectInputs({ entries, series: ['10'] });
    assert.deepEqual(s.series.map(numberOf), [10]);
    assert.match(s.description, /trace b2500 and ADC computed/);
    assert.equal(s.choice!.skipped.length, 2);
  });
});
