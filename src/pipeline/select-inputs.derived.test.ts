/**
 * Studies as a PACS holds them (issue 25, parts 2 and 4): the scanner's trace and ADC beside
 * eADC, FA, colour FA, computed-b images, raw directions and a localiser; several acquisitions;
 * a repeated series, complete or not; CT beside MR; the caller naming the series. Each entry is
 * built in code with the tags its vendor writes; the test checks which series were used as DWI
 * and ADC and what `choice` says about the rest.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Volume, createVolume } from '../core/volume.js';
import { type SeriesEntryLike, type SeriesSummaryLike, selectInputs } from './select-inputs.js';
import { diffusionPhantom } from './test-fixtures.js';

const phantom = diffusionPhantom();
const g = phantom.dwi.geometry;
const SHAPE = [g.shape[0], g.shape[1], g.shape[2]] as const;
const FOR_A = '1.2.3.4.100';
const FOR_B = '1.2.3.4.200';

type Spec = Partial<SeriesSummaryLike> & { readonly id: string; readonly n: number };

/** A DICOM MR series entry whose load gives volumes fitting its summary. */
function series(
  spec: Spec,
  volumes?: { volumes: Volume[]; b: number[]; kinds: string[] },
): SeriesEntryLike {
  const { n, ...rest } = spec;
  const summary: SeriesSummaryLike = {
    format: 'dicom',
    modality: 'MR',
    seriesNumber: n,
    shape: SHAPE,
    images: SHAPE[2],
    frameOfReferenceUid: FOR_A,
    ...rest,
  };
  const loaded = volumes ?? { volumes: [phantom.dwi], b: [1000], kinds: ['trace'] };
  return {
    id: spec.id,
    summary,
    load: () =>
      Promise.resolve({
        volumes: loaded.volumes,
        diffusion: loaded.b.map((bValue, i) => ({ bValue, kind: loaded.kinds[i] })),
        warnings: [],
      }),
  };
}

const adcVolume = { volumes: [phantom.adc], b: [], kinds: [] };
const b0 = createVolume(
  g,
  Float32Array.from(phantom.dwi.data, (s) => s * 2.2),
  phantom.dwi.meta,
);
const rawVolumes = {
  volumes: [b0, phantom.dwi, phantom.dwi, phantom.dwi],
  b: [0, 1000, 1000, 1000],
  kinds: ['b0', 'directional', 'directional', 'directional'],
};

const siemens = {
  raw: series(
    {
      id: 'raw',
      n: 4,
      description: 'ep2d_diff',
      imageType: ['ORIGINAL', 'PRIMARY', 'DIFFUSION', 'NONE'],
      bValues: [0, 1000, 1000, 1000],
    },
    rawVolumes,
  ),
  trace: series({
    id: 'tracew',
    n: 5,
    description: 'ep2d_diff_TRACEW',
    imageType: ['DERIVED', 'PRIMARY', 'DIFFUSION', 'TRACEW'],
    traceBValues: [1000],
  }),
  adc: series(
    {
      id: 'adc',
      n: 6,
      description: 'ep2d_diff_ADC',
      imageType: ['DERIVED', 'PRIMARY', 'DIFFUSION', 'ADC'],
    },
    adcVolume,
  ),
  eadc: series(
    {
      id: 'eadc',
      n: 7,
      description: 'ep2d_diff_EXP',
      imageType: ['DERIVED', 'PRIMARY', 'DIFFUSION', 'EXP'],
    },
    adcVolume,
  ),
  fa: series(
    {
      id: 'fa',
      n: 8,
      description: 'ep2d_diff_FA',
      imageType: ['DERIVED', 'PRIMARY', 'DIFFUSION', 'FA'],
    },
    adcVolume,
  ),
  colfa: series(
    {
      id: 'colfa',
      n: 9,
      description: 'ep2d_diff_ColFA',
      imageType: ['DERIVED', 'PRIMARY', 'DIFFUSION', 'FA', 'COLFA'],
      photometric: 'RGB',
    },
    adcVolume,
  ),
  calc: series({
    id: 'calc-b2000',
    n: 10,
    description: 'ep2d_diff_TRACEW_CALC',
    imageType: ['DERIVED', 'PRIMARY', 'DIFFUSION', 'CALC_BVALUE', 'TRACEW'],
    traceBValues: [2000],
  }),
  localiser: series({
    id: 'loc',
    n: 1,
    description: 'AAHead_Scout',
    imageType: ['ORIGINAL', 'PRIMARY', 'LOCALIZER'],
    shape: [64, 64, 3],
    images: 3,
  }),
};

const whyOf = (s: Awaited<ReturnType<typeof selectInputs>>, id: string) =>
  s.choice?.skipped.find((k) => k.id === id)?.why ?? '(not skipped)';

describe('selectInputs on studies with derived diffusion series', () => {
  it("Siemens study: the scanner's TRACEW + ADC, every derived map skipped with its reason", async () => {
    const s = await selectInputs({ entries: Object.values(siemens) });
    assert.equal(s.task, 'infarct');
    assert.deepEqual(s.series, ['tracew', 'adc']);
    assert.match(
      s.choice!.rule,
      /scanner's isotropic trace at b1000 with the ADC of the same acquisition/,
    );
    assert.deepEqual(
      s.choice!.used.map((u) => [u.id, u.role]),
      [
        ['tracew', 'dwi'],
        ['adc', 'adc'],
      ],
    );
    assert.match(whyOf(s, 'eadc'), /^eadc: ImageType EXP, never used as DWI or ADC/);
    assert.match(whyOf(s, 'fa'), /^fa: ImageType FA/);
    assert.match(whyOf(s, 'colfa'), /^colour-fa: colour image/);
    assert.match(whyOf(s, 'calc-b2000'), /^computed-b: ImageType CALC_BVALUE/);
    assert.match(whyOf(s, 'loc'), /^localiser/);
    assert.match(whyOf(s, 'raw'), /raw-dwi .*not used/);
    assert.equal(s.choice!.skipped.length, 6);
  });

  it('the same choice whatever order the catalog lists the series in', async () => {
    const forward = await selectInputs({ entries: Object.values(siemens) });
    const backward = await selectInputs({ entries: Object.values(siemens).reverse() });
    assert.deepEqual(backward.series, forward.series);
    assert.deepEqual(
      new Set(backward.choice!.skipped.map((k) => k.id)),
      new Set(forward.choice!.skipped.map((k) => k.id)),
    );
  });

  it('no trace + ADC pair: trace and ADC computed from the raw series, never the eADC', async () => {
    const s = await selectInputs({
      entries: [siemens.raw, siemens.eadc, siemens.fa, siemens.calc],
    });
    assert.deepEqual(s.series, ['raw']);
    assert.match(s.description, /trace b1000 and ADC computed/);
    assert.match(s.choice!.rule, /no scanner trace \+ ADC pair/);
  });

  it('a multi-shell raw series: the trace at the highest clinical b (b1000, not b3000)', async () => {
    const b3000 = createVolume(
      g,
      Float32Array.from(phantom.dwi.data, (x) => x * 0.3),
      phantom.dwi.meta,
    );
    const s = await selectInputs({
      entries: [
        series(
          { id: 'multi', n: 4, description: 'DTI multishell', bValues: [0, 1000, 3000] },
          {
            volumes: [b0, phantom.dwi, b3000],
            b: [0, 1000, 3000],
            kinds: ['b0', 'directional', 'directional'],
          },
        ),
      ],
    });
    assert.match(s.description, /trace b1000 and ADC computed from b-values 0, 1000, 3000/);
    assert.equal(
      s.images[0]!.data[phantom.dwi.data.findIndex((x) => x > 0)],
      phantom.dwi.data.find((x) => x > 0),
    );
  });

  it('a lone eADC or FA is never taken for the ADC', async () => {
    await assert.rejects(
      selectInputs({ entries: [siemens.trace, siemens.eadc, siemens.fa] }),
      /only one diffusion image was given|no ADC map found/,
    );
  });

  it('GE: the ADC, not the exponential ADC; Philips: the isotropic image inside the DTI series', async () => {
    const ge = await selectInputs({
      entries: [
        series(
          { id: 'ge-eadc', n: 501, description: 'Exponential Apparent Diffusion Coefficient' },
          adcVolume,
        ),
        series({
          id: 'ge-dwi',
          n: 5,
          description: 'DWI Asset',
          bValues: [0],
          traceVolumes: 1,
          traceBValues: [1000],
        }),
        series(
          { id: 'ge-adc', n: 500, description: 'Apparent Diffusion Coefficient (mm2/s)' },
          adcVolume,
        ),
      ],
    });
    assert.deepEqual(ge.series, ['ge-dwi', 'ge-adc']);
    const philips = await selectInputs({
      entries: [
        series(
          {
            id: 'dti',
            n: 401,
            description: 'DTI_high_iso',
            bValues: [0, 1000, 1000, 1000],
            traceVolumes: 1,
            traceBValues: [1000],
          },
          {
            volumes: [...rawVolumes.volumes, phantom.dwi],
            b: [...rawVolumes.b, 1000],
            kinds: [...rawVolumes.kinds, 'trace'],
          },
        ),
        series(
          {
            id: 'eadc',
            n: 402,
            description: 'eADC_DTI',
            imageType: ['DERIVED', 'PRIMARY', 'EADC', 'EADC'],
          },
          adcVolume,
        ),
      ],
    });
    assert.deepEqual(philips.series, ['dti']);
    assert.match(philips.choice!.used[0]!.why, /isotropic image inside/);
  });

  it("two acquisitions: the trace at the highest clinical b, with its own acquisition's ADC", async () => {
    const s = await selectInputs({
      entries: [
        series({
          id: 'trace-b1000',
          n: 5,
          description: 'DWI b1000 TRACEW',
          imageType: ['TRACEW'],
          traceBValues: [1000],
          frameOfReferenceUid: FOR_B,
        }),
        series(
          {
            id: 'adc-b1000',
            n: 6,
            description: 'DWI b1000 ADC',
            imageType: ['ADC'],
            frameOfReferenceUid: FOR_B,
          },
          adcVolume,
        ),
        series({
          id: 'trace-b2000',
          n: 12,
          description: 'DWI b2000 TRACEW',
          imageType: ['TRACEW'],
          traceBValues: [2000],
        }),
        series(
          { id: 'adc-b2000', n: 11, description: 'DWI b2000 ADC', imageType: ['ADC'] },
          adcVolume,
        ),
        series({
          id: 'trace-b3000',
          n: 20,
          description: 'research b3000 TRACEW',
          imageType: ['TRACEW'],
          traceBValues: [3000],
        }),
        series(
          { id: 'adc-b3000', n: 21, description: 'research b3000 ADC', imageType: ['ADC'] },
          adcVolume,
        ),
      ],
    });
    assert.deepEqual(s.series, ['trace-b2000', 'adc-b2000']);
  });

  it('a repeated series: the later one, unless it is incomplete', async () => {
    const pair = (n: number, images: number) => [
      series({
        id: `trace-${n}`,
        n,
        description: 'DWI TRACEW',
        imageType: ['TRACEW'],
        traceBValues: [1000],
        images,
      }),
      series(
        { id: `adc-${n + 1}`, n: n + 1, description: 'DWI ADC', imageType: ['ADC'], images },
        adcVolume,
      ),
    ];
    const complete = await selectInputs({ entries: [...pair(5, 30), ...pair(9, 30)] });
    assert.deepEqual(complete.series, ['trace-9', 'adc-10']);
    assert.match(whyOf(complete, 'trace-5'), /repeat of trace-9: the later series is used/);
    const cut = await selectInputs({ entries: [...pair(5, 30), ...pair(9, 12)] });
    assert.deepEqual(cut.series, ['trace-5', 'adc-6']);
    assert.match(whyOf(cut, 'trace-9'), /incomplete \(12 images, the earlier one has 30\)/);
  });

  it('the caller picks: series by id or number; a name matching nothing is one clear line', async () => {
    const s = await selectInputs({ entries: Object.values(siemens), series: ['4'] });
    assert.deepEqual(s.series, ['raw']);
    assert.match(whyOf(s, 'tracew'), /not among the series asked for/);
    await assert.rejects(
      selectInputs({ entries: Object.values(siemens), series: ['99'] }),
      (e: Error) =>
        /^series '99' \(asked for\) matches no series; the input has: raw \(MR 'ep2d_diff'\), /.test(
          e.message,
        ) && !e.message.includes('\n'),
    );
  });

  it('CT and MR with task auto: refused, naming --task and --series; --series decides', async () => {
    const ct: SeriesEntryLike = {
      id: 'ct',
      summary: {
        id: 'ct',
        format: 'dicom',
        modality: 'CT',
        description: 'Head',
        seriesNumber: 2,
        images: 30,
      },
      load: () => Promise.reject(new Error('not loaded in this test')),
    };
    await assert.rejects(
      selectInputs({ entries: [ct, siemens.trace, siemens.adc] }),
      /both CT and MR series found .*--task ich or --task infarct, or the series with --series/,
    );
    const s = await selectInputs({
      entries: [ct, siemens.trace, siemens.adc],
      series: ['tracew', 'adc'],
    });
    assert.equal(s.task, 'infarct');
    assert.equal(s.choice!.task, 'auto: diffusion MR and no CT');
    assert.match(whyOf(s, 'ct'), /not among the series asked for/);
  });
});
