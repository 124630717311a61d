/**
 * Diffusion inputs as users have them (issue 19, "inputs users have"): a 4-D NIfTI with its
 * `.bval` sidecar, a DWI + b0 pair of NIfTI files with `.bval` sidecars, and the refusals — a
 * `.bval` that does not match the file, b0 and DWI on different grids, a single DWI volume.
 * The b0 and DWI images are made from a known ADC (S = S0·exp(−b·ADC)), so the ADC that
 * selection computes is checked against the truth it was made from.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createVolume } from '../core/volume.js';
import { writeNiftiFile } from '../io/nifti/nifti-file.js';
import { openCatalog } from '../io/series-catalog.js';
import { selectInputs } from './select-inputs.js';
import { diffusionPhantom } from './test-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'nt-sidecar-'));
after(() => rmSync(root, { recursive: true, force: true }));

const B = 1000;
const phantom = diffusionPhantom();
const g = phantom.adc.geometry;
const s0 = Float32Array.from(phantom.adc.data, (adc) => (adc > 0 ? 1000 : 0));
const sb = Float32Array.from(phantom.adc.data, (adc, v) => s0[v]! * Math.exp(-B * adc * 1e-6));

/** A 4-D NIfTI (b0 + two b1000 volumes) and its .bval; returns the NIfTI path. */
function fourD(name: string, bval: string): string {
  const path = join(root, `${name}.nii.gz`);
  writeNiftiFile(
    path,
    [s0, sb, sb].map((d) => createVolume(g, d, { modality: 'MR' })),
  );
  writeFileSync(join(root, `${name}.bval`), bval);
  return path;
}

async function select(...paths: string[]) {
  return selectInputs({ entries: paths.flatMap((p) => openCatalog(p).entries) });
}

describe('diffusion NIfTI with .bval sidecars', () => {
  it('reads a 4-D NIfTI with its .bval: trace and ADC computed, the ADC the truth', async () => {
    const chosen = await select(fourD('dti', '0 1000 1000\n'));
    assert.equal(chosen.task, 'infarct');
    assert.match(chosen.description, /trace b1000 and ADC computed/);
    const adc = chosen.images[1]!.data;
    phantom.adc.data.forEach((truth, v) => {
      if (truth > 0) assert.ok(Math.abs(adc[v]! * 1e6 - truth) < 1, `voxel ${v}: ${adc[v]}`);
    });
  });

  it('refuses a .bval whose length does not match the 4-D file, naming both', () => {
    const catalog = openCatalog(fourD('short', '0 1000\n'));
    assert.equal(catalog.entries.length, 0);
    assert.match(
      catalog.skipped[0]?.reason ?? '',
      /short\.bval lists 2 b-value\(s\) but short\.nii\.gz has 3 volume\(s\)/,
    );
  });

  it('reads a DWI + b0 pair of NIfTI files with .bval sidecars', async () => {
    writeNiftiFile(join(root, 'b0.nii.gz'), createVolume(g, s0, { modality: 'MR' }));
    writeFileSync(join(root, 'b0.bval'), '0');
    writeNiftiFile(join(root, 'trace.nii.gz'), createVolume(g, sb, { modality: 'MR' }));
    writeFileSync(join(root, 'trace.bval'), '1000');
    const chosen = await select(join(root, 'trace.nii.gz'), join(root, 'b0.nii.gz'));
    assert.match(chosen.description, /b0 .*b0\.nii\.gz.* \+ DWI .*trace\.nii\.gz/);
    const adc = chosen.images[1]!.data;
    const v = phantom.adc.data.findIndex((x) => x === 400);
    assert.ok(Math.abs(adc[v]! * 1e6 - 400) < 1, `lesion ADC ${adc[v]}`);
  });

  it('refuses b0 and DWI on different grids', async () => {
    const coarse = {
      ...g,
      spacingMm: [g.spacingMm[0] * 2, g.spacingMm[1], g.spacingMm[2]] as const,
    };
    writeNiftiFile(join(root, 'b0x.nii.gz'), createVolume(coarse, s0, { modality: 'MR' }));
    writeFileSync(join(root, 'b0x.bval'), '0');
    writeNiftiFile(join(root, 'dwix.nii.gz'), createVolume(g, sb, { modality: 'MR' }));
    writeFileSync(join(root, 'dwix.bval'), '1000');
    await assert.rejects(
      select(join(root, 'dwix.nii.gz'), join(root, 'b0x.nii.gz')),
      /on different grids/,
    );
  });

  it('refuses a single DWI volume, saying what is needed', async () => {
    writeNiftiFile(join(root, 'alone.nii.gz'), createVolume(g, sb, { modality: 'MR' }));
    await assert.rejects(
      select(join(root, 'alone.nii.gz')),
      /only one diffusion image .*single volume/,
    );
  });
});
