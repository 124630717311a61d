/**
 * Loads the real reference data that synthesis and localisation use from `../shared/data`:
 * CT and MNI templates with tissue priors, the lobe and arterial-territory atlases with their
 * label names, the real haemorrhage label map, and the SOOP infarct masks (on demand).
 * Probability maps are returned scaled to 0..1 whatever their stored type.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserInputError } from '../core/errors.js';
import { type Volume, createVolume } from '../core/volume.js';
import { readLabelVolumeCached } from './label-cache.js';
import { readNiftiFile } from './nifti/nifti-file.js';
import { parseLobeLabels, parseTerritoryLabels } from './reference-files.js';

export interface LoadedAtlas {
  readonly map: Volume;
  readonly names: ReadonlyMap<number, string>;
}

export interface LoadedTerritoryAtlas extends LoadedAtlas {
  readonly groups: ReadonlyMap<number, string>;
}

export interface LoadedInfarctEntry {
  readonly id: string;
  readonly volumeMl: number;
  readonly territory: string;
}

export { TERRITORY_GROUPS } from './reference-files.js';

function need(root: string, ...parts: string[]): string {
  const path = join(root, ...parts);
  if (!existsSync(path))
    throw new UserInputError(
      `reference data missing: ${join('../shared/data', ...parts)}`,
      'no-data',
    );
  return path;
}

function readVolume(root: string, ...parts: string[]): Volume {
  const v = readNiftiFile(need(root, ...parts)).volumes[0];
  if (!v) throw new UserInputError(`${parts.join('/')} holds no volume`);
  return v;
}

/** A label map, through the compact uint8 cache (`label-cache.ts`). */
function readLabels(root: string, ...parts: string[]): Volume {
  const v = readLabelVolumeCached(need(root, ...parts));
  if (!v) throw new UserInputError(`${parts.join('/')} holds no volume`);
  return v;
}

/** A probability map as Float32 in 0..1 (uint8 maps stored 0..255 are divided by 255). */
function readProbability(root: string, ...parts: string[]): Volume {
  const v = readVolume(root, ...parts);
  let max = 0;
  for (let n = 0; n < v.data.length; n++) if (v.data[n]! > max) max = v.data[n]!;
  const scale = max > 1.5 ? 1 / 255 : 1;
  const data = new Float32Array(v.data.length);
  for (let n = 0; n < data.length; n++) data[n] = Math.min(1, Math.max(0, v.data[n]! * scale));
  return createVolume(v.geometry, data, { ...v.meta, units: 'probability' });
}

export function loadCtAnatomy(root: string) {
  const dir = ['templates', 'ct-older-adults'];
  return {
    scct: readVolume(root, ...dir, 'scct.nii.gz'),
    csf: readProbability(root, ...dir, 'sccsf.nii.gz'),
    grey: readProbability(root, ...dir, 'scgrey.nii.gz'),
    white: readProbability(root, ...dir, 'scwhite.nii.gz'),
  };
}

export function loadMrAnatomy(root: string) {
  const dir = ['templates', 'mni-icbm152-2009a-sym'];
  return {
    t1: readVolume(root, ...dir, 'mni_icbm152_t1_tal_nlin_sym_09a_converted.nii.gz'),
    grey: readProbability(root, ...dir, 'mni_icbm152_gm_tal_nlin_sym_09a_converted.nii.gz'),
    white: readProbability(root, ...dir, 'mni_icbm152_wm_tal_nlin_sym_09a_converted.nii.gz'),
  };
}

export function loadLobeAtlas(root: string): LoadedAtlas {
  const dir = ['atlases', 'lobes-brainstem-cerebellum'];
  const names = parseLobeLabels(readFileSync(need(root, ...dir, 'atlas_labels.csv'), 'utf8'));
  return { map: readLabels(root, ...dir, 'atlas_template_space.nii.gz'), names };
}

const brainMasks = new Map<string, Volume>();

/**
 * The brain mask on the lobe atlas's grid (1 inside). Read once per data root and process
 * (`analyze` needs it for the brain-mask step and the ADC core; callers must not modify it).
 */
export function loadBrainMask(root: string): Volume {
  const hit = brainMasks.get(root);
  if (hit) return hit;
  const mask = readLabels(root, 'atlases', 'lobes-brainstem-cerebellum', 'ct_template_mask.nii.gz');
  brainMasks.set(root, mask);
  return mask;
}

export function loadTerritoryAtlas(root: string): LoadedTerritoryAtlas {
  const dir = ['atlases', 'arterial-territories'];
  const { names, groups } = parseTerritoryLabels(
    readFileSync(need(root, ...dir, 'ArterialAtlas136.txt'), 'utf8'),
  );
  return { map: readLabels(root, ...dir, 'ArterialAtlas136.nii.gz'), names, groups };
}

export function loadHaemorrhageShapes(root: string): Volume {
  return readVolume(root, 'lesions', 'hemorrhage-tbi-example', 'labels.nii.gz');
}

/**
 * The SOOP infarct masks: entries from `artery.tsv` (lesion volume in mm³ → mL; territory =
 * the group with the largest affected fraction), masks read when asked for.
 */
export function loadInfarctShapes(root: string, territories: LoadedTerritoryAtlas) {
  const dir = ['lesions', 'infarcts-mni-soop'];
  const lines = readFileSync(need(root, ...dir, 'artery.tsv'), 'utf8')
    .trim()
    .split(/\r?\n/);
  const header = lines[0]?.split('\t') ?? [];
  const entries: LoadedInfarctEntry[] = [];
  for (const line of lines.slice(1)) {
    const cols = line.split('\t');
    const id = cols[0];
    const volumeMm3 = Number(cols[1]);
    if (!id || !(volumeMm3 > 0)) continue;
    const byGroup = new Map<string, number>();
    for (let c = 2; c < cols.length; c++) {
      const index = Number((header[c] ?? '').split('_')[0]);
      const group = territories.groups.get(index);
      if (group) byGroup.set(group, (byGroup.get(group) ?? 0) + Number(cols[c]));
    }
    const best = [...byGroup.entries()].sort((a, b) => b[1] - a[1])[0];
    entries.push({
      id,
      volumeMl: volumeMm3 / 1000,
      territory: best && best[1] > 0 ? best[0] : 'unknown',
    });
  }
  return {
    entries,
    load: (id: string): Volume => readVolume(root, ...dir, 'masks', `bwsr${id}_lesion.nii.gz`),
  };
}

/** Everything synthesis needs for a task. */
export function loadSynthResources(root: string, task: 'ich' | 'infarct') {
  const territories = loadTerritoryAtlas(root);
  const lobes = loadLobeAtlas(root);
  if (task === 'ich')
    return {
      ct: loadCtAnatomy(root),
      lobes,
      territories,
      haemorrhageShapes: loadHaemorrhageShapes(root),
    };
  return {
    mr: loadMrAnatomy(root),
    lobes,
    territories,
    infarctShapes: loadInfarctShapes(root, territories),
  };
}
