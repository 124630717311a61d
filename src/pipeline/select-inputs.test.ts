import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createVolume } from '../core/volume.js';
import { writeNiftiFile } from '../io/nifti/nifti-file.js';
import { type CatalogEntry, openCatalog } from '../io/series-catalog.js';
import { type CtSliceOptions, ctSliceElements, writeDicom } from '../testing/dicom-writer.js';
import { type SeriesEntryLike, selectInputs } from './select-inputs.js';
import { diffusionPhantom } from './test-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'nt-select-'));
after(() => rmSync(root, { recursive: true, force: true }));

function entriesOf(...paths: string[]): CatalogEntry[] {
  return paths.flatMap((p) => openCatalog(p).entries);
}

/** A folder of 6 axial 16×16 CT slices; `extra` adds DICOM elements such as Body Part. */
function ctFolder(
  name: string,
  options: Partial<CtSliceOptions> & { bodyPart?: string } = {},
): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const pixels = new Int16Array(256).fill(1024 + 40); // 40 HU with the −1024 intercept
  for (let n = 0; n < 16; n++) pixels[n] = 0; // a row of air (−1024 HU)
  for (let k = 1; k <= 6; k++) {
    const elements = ctSliceElements({
      seriesUid: `1.2.826.0.1.3680043.8.498.90.${name.length}`,
      instance: k,
      positionMm: [0, 0, 5 * k],
      pixels,
      seriesDescription: 'Head 5mm',
      ...options,
    });
    if (options.bodyPart)
      elements.push({ tag: [0x0018, 0x0015], vr: 'CS', value: options.bodyPart });
    writeFileSync(join(dir, `${k}.dcm`), writeDicom({ elements }));
  }
  return dir;
}

function writePhantomNifti(): { dwi: string; adc: string; plainDwi: string; plainAdc: string } {
  const p = diffusionPhantom();
  const dwi = join(root, 'dwi.nii.gz');
  const adc = join(root, 'adc.nii.gz');
  writeNiftiFile(dwi, p.dwi, { description: 'synthetic dwi' });
  writeNiftiFile(adc, p.adc, { description: 'synthetic adc' });
  // Unlabelled names and descriptions; ADC stored as float mm²/s.
  const plainDwi = join(root, 'scan1.nii.gz');
  const plainAdc = join(root, 'scan2.nii.gz');
  writeNiftiFile(plainDwi, p.dwi);
  const mm2 = Float32Array.from(p.adc.data, (x) => x * 1e-6);
  writeNiftiFile(plainAdc, createVolume(p.adc.geometry, mm2));
  return { dwi, adc, plainDwi, plainAdc };
}

describe('selectInputs', () => {
  const files = writePhantomNifti();

  it('takes dwi.nii.gz + adc.nii.gz as the infarct task, DWI first, whatever order they come in', async () => {
    const s = await selectInputs({ entries: entriesOf(files.adc, files.dwi) });
    assert.equal(s.task, 'infarct');
    assert.equal(s.images.length, 2);
    assert.equal(s.images[0]!.meta.description, 'synthetic dwi');
    assert.equal(s.images[1]!.meta.description, 'synthetic adc');
    assert.deepEqual(s.series, ['dwi.nii.gz', 'adc.nii.gz']);
    assert.match(s.description, /ADC in 1e-6 mm2\/s/);
  });

  it('recognises an unlabelled second file as ADC from its values', async () => {
    const s = await selectInputs({ entries: entriesOf(files.plainDwi, files.plainAdc) });
    assert.equal(s.task, 'infarct');
    assert.deepEqual(s.series, ['scan1.nii.gz', 'scan2.nii.gz']);
    assert.match(s.warnings.join('\n'), /scan2.nii.gz taken as the ADC map/);
  });

  it('computes trace and ADC from a series with b0 and b1000 volumes', async () => {
    const p = diffusionPhantom();
    const b0 = p.dwi;
    // S_b = S0·exp(−b·ADC) with ADC = 0.0008 mm²/s everywhere in the head.
    const b1000 = createVolume(
      b0.geometry,
      Float32Array.from(b0.data, (s) => s * Math.exp(-1000 * 0.0008)),
      b0.meta,
    );
    const entry: SeriesEntryLike = {
      id: 'dwi-series',
      summary: {
        id: 'dwi-series',
        format: 'dicom',
        modality: 'MR',
        description: 'DWI b0 b1000',
        bValues: [0, 1000, 1000, 1000],
      },
      load: () =>
        Promise.resolve({
          volumes: [b0, b1000, b1000, b1000],
          diffusion: [
            { bValue: 0, kind: 'b0' },
            { bValue: 1000, kind: 'directional' },
            { bValue: 1000, kind: 'directional' },
            { bValue: 1000, kind: 'directional' },
          ],
          warnings: [],
        }),
    };
    const s = await selectInputs({ entries: [entry], task: 'auto' });
    assert.equal(s.task, 'infarct');
    assert.match(s.description, /computed/);
    const [trace, adc] = s.images;
    const centre = b0.data.findIndex((x) => x > 0);
    assert.ok(Math.abs(trace!.data[centre]! - b1000.data[centre]!) < 1e-2);
    assert.ok(Math.abs(adc!.data[centre]! - 0.0008) < 1e-6, `${adc!.data[centre]}`);
    assert.equal(adc!.meta.units, 'mm2/s');
  });

  it('takes a non-contrast head CT as the ich task, in HU', async () => {
    const s = await selectInputs({ entries: entriesOf(ctFolder('plain')) });
    assert.equal(s.task, 'ich');
    assert.equal(s.images.length, 1);
    assert.equal(s.images[0]!.meta.units, 'HU');
    assert.match(s.description, /Head 5mm/);
  });

  it('takes a CT NIfTI (values in HU) as the ich task', async () => {
    const g = diffusionPhantom().dwi.geometry;
    const hu = new Int16Array(g.shape[0] * g.shape[1] * g.shape[2]).fill(-1000);
    hu.fill(35, hu.length / 4, (3 * hu.length) / 4);
    const path = join(root, 'head-ct.nii.gz');
    writeNiftiFile(path, createVolume(g, hu));
    const s = await selectInputs({ entries: entriesOf(path) });
    assert.equal(s.task, 'ich');
    assert.equal(s.images[0]!.meta.units, 'HU');
  });

  it('refuses a contrast-enhanced CT, saying why', async () => {
    await assert.rejects(
      selectInputs({ entries: entriesOf(ctFolder('contrast', { contrastAgent: 'IOHEXOL' })) }),
      /acquired with contrast \(Contrast\/Bolus Agent: 'IOHEXOL'\).*non-contrast CT only/,
    );
  });

  it('does not count "NONE" as a contrast agent', async () => {
    const s = await selectInputs({
      entries: entriesOf(ctFolder('none', { contrastAgent: 'NONE' })),
    });
    assert.equal(s.task, 'ich');
  });

  it('refuses a CT of another body part', async () => {
    await assert.rejects(
      selectInputs({ entries: entriesOf(ctFolder('chest', { bodyPart: 'CHEST' })) }),
      /CT is of the CHEST .*not the head/,
    );
  });

  it('refuses an input with neither CT nor diffusion MR', async () => {
    const t1 = ctFolder('t1', { modality: 'MR', seriesDescription: 'T1 SAG' });
    await assert.rejects(
      selectInputs({ entries: entriesOf(t1) }),
      /no head CT and no diffusion MR series found \(found: MR 'T1 SAG'\)/,
    );
    await assert.rejects(
      selectInputs({ entries: entriesOf(t1), task: 'infarct' }),
      /no diffusion-weighted \(DWI\/trace\) series found/,
    );
  });

  it('refuses the wrong modality for the task asked', async () => {
    await assert.rejects(
      selectInputs({ entries: entriesOf(files.dwi, files.adc), task: 'ich' }),
      /task ich needs a non-contrast head CT, but no CT series was found/,
    );
    await assert.rejects(
      selectInputs({ entries: entriesOf(ctFolder('plain2')), task: 'infarct' }),
      /task infarct needs diffusion MR .* no MR series was found/,
    );
  });

  it('refuses DWI alone when no ADC can be found or computed', async () => {
    await assert.rejects(
      selectInputs({ entries: entriesOf(files.dwi) }),
      /only one diffusion image was given \(dwi\.nii\.gz .*a single volume\): .*DWI \+ ADC/,
    );
  });
});
