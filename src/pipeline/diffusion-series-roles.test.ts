/**
 * Each derived diffusion series a PACS holds, as each vendor labels it (issue 25, part 2): the
 * role read from the series summary alone. The tags are those the vendors write (ImageType
 * values, descriptions, (0018,9075), b-values from standard or private tags, photometric).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type DiffusionRole,
  NEVER_INPUT,
  type RoleSummary,
  diffusionRoleOf,
} from './diffusion-series-roles.js';

const SHAPE = [128, 128, 30];
const mr = (s: Partial<RoleSummary>): RoleSummary => ({ modality: 'MR', shape: SHAPE, ...s });
const DIR15 = [0, ...Array<number>(15).fill(1000)];

const CASES: readonly [string, RoleSummary, DiffusionRole][] = [
  // Siemens (XA: standard tags; VE: (0019,100C) and the CSA header give the b-values)
  [
    'Siemens raw directions',
    mr({
      description: 'ep2d_diff_mddw_20',
      imageType: ['ORIGINAL', 'PRIMARY', 'DIFFUSION', 'NONE'],
      bValues: DIR15,
    }),
    'raw-dwi',
  ],
  [
    'Siemens TRACEW',
    mr({
      description: 'ep2d_diff_3scan_trace_p2_TRACEW',
      imageType: ['DERIVED', 'PRIMARY', 'DIFFUSION', 'TRACEW'],
      bValues: [0],
      traceBValues: [1000],
    }),
    'trace',
  ],
  [
    'Siemens ADC (description says trace too)',
    mr({
      description: 'ep2d_diff_3scan_trace_p2_ADC',
      imageType: ['DERIVED', 'PRIMARY', 'DIFFUSION', 'ADC'],
      diffusionDirectionality: 'ISOTROPIC',
    }),
    'adc',
  ],
  [
    'Siemens exponential ADC (ImageType EXP)',
    mr({
      description: 'ep2d_diff_3scan_trace_p2_EXP',
      imageType: ['DERIVED', 'PRIMARY', 'DIFFUSION', 'EXP'],
    }),
    'eadc',
  ],
  [
    'Siemens FA',
    mr({ description: 'DTI_FA', imageType: ['DERIVED', 'PRIMARY', 'DIFFUSION', 'FA'] }),
    'fa',
  ],
  [
    'Siemens colour FA (ImageType FA and COLFA, RGB)',
    mr({
      description: 'DTI_ColFA',
      imageType: ['DERIVED', 'PRIMARY', 'DIFFUSION', 'FA', 'COLFA'],
      photometric: 'RGB',
    }),
    'colour-fa',
  ],
  [
    'Siemens computed b-value (CALC_BVALUE trace)',
    mr({
      description: 'ep2d_diff_TRACEW_b1400',
      imageType: ['DERIVED', 'PRIMARY', 'DIFFUSION', 'CALC_BVALUE', 'TRACEW'],
      traceBValues: [1400],
    }),
    'computed-b',
  ],
  [
    'Siemens TENSOR_B0',
    mr({
      description: 'DTI_TENSOR_B0',
      imageType: ['DERIVED', 'PRIMARY', 'DIFFUSION', 'TENSOR_B0'],
    }),
    'derived-other',
  ],
  // GE: b-values from (0043,1039); the combined (isotropic) image stored in the DWI series
  [
    'GE DWI with its combined image inside',
    mr({
      description: 'DWI Asset',
      imageType: ['ORIGINAL', 'PRIMARY', 'OTHER'],
      bValues: [0, 1000, 1000, 1000],
      traceVolumes: 1,
      traceBValues: [1000],
    }),
    'raw-dwi',
  ],
  [
    'GE ADC',
    mr({
      description: 'Apparent Diffusion Coefficient (mm2/s)',
      imageType: ['DERIVED', 'SECONDARY', 'OTHER'],
    }),
    'adc',
  ],
  [
    'GE exponential ADC',
    mr({
      description: 'Exponential Apparent Diffusion Coefficient',
      imageType: ['DERIVED', 'SECONDARY', 'OTHER'],
    }),
    'eadc',
  ],
  [
    'GE computed high b',
    mr({
      description: 'Calc b2000 DWI',
      imageType: ['DERIVED', 'SECONDARY', 'OTHER'],
      traceBValues: [2000],
    }),
    'computed-b',
  ],
  [
    "GE DTI named 'TENSOR' (raw directions, not a tensor map)",
    mr({
      description: 'Ax DWI TENSOR R2',
      imageType: ['ORIGINAL', 'PRIMARY', 'OTHER'],
      bValues: [0, 1000, 1000, 1000],
    }),
    'raw-dwi',
  ],
  // Philips: b-values from (2001,1003); the isotropic image inside the DTI series
  [
    'Philips DTI with its isotropic image inside',
    mr({
      description: 'DTI_high_iso',
      imageType: ['ORIGINAL', 'PRIMARY', 'M_SE', 'M', 'SE'],
      bValues: DIR15,
      traceVolumes: 1,
      traceBValues: [1000],
    }),
    'raw-dwi',
  ],
  [
    'Philips b0 + isotropic image only',
    mr({
      description: 'DWI_SENSE',
      imageType: ['ORIGINAL', 'PRIMARY', 'M_SE', 'M', 'SE'],
      bValues: [0],
      traceVolumes: 1,
      traceBValues: [1000],
    }),
    'trace',
  ],
  [
    'Philips ADC',
    mr({ description: 'dADC_DWI_SENSE', imageType: ['DERIVED', 'PRIMARY', 'ADC', 'ADC'] }),
    'adc',
  ],
  [
    'Philips eADC',
    mr({ description: 'eADC_DWI_SENSE', imageType: ['DERIVED', 'PRIMARY', 'EADC', 'EADC'] }),
    'eadc',
  ],
  // Canon and UIH: standard (0018,9075)/(0018,9087), descriptions
  [
    'Canon isotropic DWI ((0018,9075) ISOTROPIC)',
    mr({
      description: 'DWI b1500',
      imageType: ['ORIGINAL', 'PRIMARY', 'DIFFUSION'],
      diffusionDirectionality: 'ISOTROPIC',
      bValues: [0],
      traceBValues: [1500],
    }),
    'trace',
  ],
  ['Canon ADC', mr({ description: 'ADC map', imageType: ['DERIVED', 'SECONDARY'] }), 'adc'],
  ['UIH ADC', mr({ description: 'DWI_b1000_ADC', imageType: ['DERIVED', 'PRIMARY'] }), 'adc'],
  ['UIH eADC', mr({ description: 'DWI_b1000_eADC', imageType: ['DERIVED', 'PRIMARY'] }), 'eadc'],
  ['UIH FA by name', mr({ description: 'DTI_FA_map', imageType: ['DERIVED', 'PRIMARY'] }), 'fa'],
  // Any vendor
  [
    'colour map by photometric alone',
    mr({ description: 'DTI map', photometric: 'RGB' }),
    'colour-fa',
  ],
  [
    'localiser by ImageType',
    mr({ description: 'AAHead_Scout', imageType: ['ORIGINAL', 'PRIMARY', 'LOCALIZER'] }),
    'localiser',
  ],
  [
    'localiser by its 3 slices',
    mr({ description: 'tri-pilot', shape: [256, 256, 3] }),
    'localiser',
  ],
  [
    'FLAIR',
    mr({ description: 't2_tirm_tra_dark-fluid', imageType: ['ORIGINAL', 'PRIMARY', 'M', 'ND'] }),
    'not-diffusion',
  ],
];

describe('diffusionRoleOf', () => {
  for (const [name, summary, role] of CASES)
    it(`${name} → ${role}`, () => {
      const got = diffusionRoleOf(summary);
      assert.equal(got.role, role, got.why);
      assert.ok(got.why.length > 0);
    });

  it('never lets an eADC, FA, colour or computed-b series be a model input', () => {
    for (const role of ['eadc', 'fa', 'colour-fa', 'computed-b', 'localiser'] as const)
      assert.ok(NEVER_INPUT.has(role), role);
    for (const role of ['raw-dwi', 'trace', 'adc'] as const) assert.ok(!NEVER_INPUT.has(role));
  });

  it('says which marker decided', () => {
    assert.equal(
      diffusionRoleOf(mr({ imageType: ['DERIVED', 'PRIMARY', 'DIFFUSION', 'EXP'] })).why,
      'ImageType EXP',
    );
    assert.match(
      diffusionRoleOf(mr({ description: 'DTI_high_iso', bValues: DIR15, traceVolumes: 1 })).why,
      /directions at b 0, 1000 with the scanner's isotropic image inside/,
    );
  });
});
