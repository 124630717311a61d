/**
 * Where the lesions are: every lesion voxel (26-connected components of the label map, on the
 * input's native grid) is mapped through the patient → template affine from registration and
 * looked up in the lobe atlas (lobes, basal ganglia, thalamus, brainstem, cerebellum) and the
 * arterial-territory atlas (ACA / MCA / PCA / vertebrobasilar, their sub-territories, side).
 * Side comes from the template position (LPS: +x is the patient's left). Pure.
 */
import { connectedComponents } from '../core/connected-components.js';
import {
  type Geometry,
  indexToWorldMatrix,
  voxelVolumeMl,
  worldToIndexAffine,
} from '../core/geometry.js';
import type { Mat4 } from '../core/vec.js';
import type { Volume } from '../core/volume.js';

export interface AtlasLike {
  readonly map: Volume;
  readonly names: ReadonlyMap<number, string>;
}

export interface TerritoryAtlasLike extends AtlasLike {
  /** Label → coarse group with side, e.g. 'MCA left'. */
  readonly groups: ReadonlyMap<number, string>;
}

export interface Share {
  readonly name: string;
  /** Fraction of the lesion's volume, 0..1. */
  readonly fraction: number;
}

export type Side = 'left' | 'right' | 'bilateral';

export interface LesionLocation {
  readonly volumeMl: number;
  /** Labels inside this lesion (e.g. haemorrhage subtypes), by volume. */
  readonly labels: readonly Share[];
  /** Lesion centre of mass, patient LPS mm and template (MNI) LPS mm. */
  readonly centreMm: readonly [number, number, number];
  readonly templateCentreMm: readonly [number, number, number];
  readonly side: Side;
  /** 'brainstem', 'cerebellum' or 'supratentorial' by most of the lesion. */
  readonly region: string;
  /** Lobe-atlas structures (e.g. 'frontal lobe (lateral)', 'thalamus'), ≥ 10 % or the largest. */
  readonly structures: readonly Share[];
  /** Territory groups with side (e.g. 'MCA right'), ≥ 10 % or the largest. */
  readonly territories: readonly Share[];
  /** Sub-territories (e.g. 'MCA frontal', 'lateral lenticulostriate'), ≥ 10 % or the largest. */
  readonly subTerritories: readonly Share[];
}

export interface Localisation {
  readonly lesions: readonly LesionLocation[];
  /** All lesion voxels together. */
  readonly total: Omit<LesionLocation, 'centreMm' | 'templateCentreMm'> | null;
}

export interface LocaliseOptions {
  readonly labels: ArrayLike<number>;
  readonly geometry: Geometry;
  readonly labelNames: Readonly<Record<number, string>>;
  /** 4×4 row-major, patient LPS mm → template LPS mm. */
  readonly patientToTemplate: Mat4;
  readonly lobes: AtlasLike;
  readonly territories: TerritoryAtlasLike;
  /** Shares below this are left out of lists (the largest is always kept); default 0.1. */
  readonly minShare?: number;
}

const STRUCTURE_NAMES: Readonly<Record<string, string>> = {
  BrainStem: 'brainstem',
  Cerebellum: 'cerebellum',
  BasalForebrain: 'basal forebrain',
  BasalGanglia: 'basal ganglia',
  'Basalganglia-lentiform-nucleus': 'lentiform nucleus',
  'BasalGanglia-lentiform-nucleus': 'lentiform nucleus',
  Caudate: 'caudate',
  'FrontalLobe-inferior-orbital': 'frontal lobe (orbital)',
  'FrontalLobe-lateral': 'frontal lobe (lateral)',
  'FrontalLobe-medial': 'frontal lobe (medial)',
  Hippocampus: 'hippocampus',
  Insula: 'insula',
  OccipitalLobe: 'occipital lobe',
  ParietalLobe: 'parietal lobe',
  TemporalLobe: 'temporal lobe',
  ThalamusProper: 'thalamus',
  Ventricle: 'ventricle',
};

/** 'LeftFrontalLobe-lateral' → 'frontal lobe (lateral)' (side is reported separately). */
export function structureName(atlasName: string): string {
  const bare = atlasName.replace(/^(Left|Right)/, '');
  return STRUCTURE_NAMES[bare] ?? bare;
}

/** Sub-territory of the arterial atlas by its description, without side. */
export function subTerritoryName(description: string): string {
  const d = description.replace(/\s+(left|right)$/i, '').toLowerCase();
  const pars = /^(\w+) pars of (middle|posterior) cerebral artery$/.exec(d);
  if (pars) return `${pars[2] === 'middle' ? 'MCA' : 'PCA'} ${pars[1]}`;
  if (d === 'anterior cerebral artery') return 'ACA';
  if (d.startsWith('anteior') || d.startsWith('anterior choroidal'))
    return 'anterior choroidal / thalamoperforators';
  return d;
}

export function coarseRegionOf(structure: string): string {
  if (structure === 'brainstem') return 'brainstem';
  if (structure === 'cerebellum') return 'cerebellum';
  return 'supratentorial';
}

interface Tally {
  voxels: number;
  left: number;
  sum: [number, number, number];
  templateSum: [number, number, number];
  /** Counts by label value, lobe-atlas label and territory-atlas label (0 = outside). */
  labels: Map<number, number>;
  lobes: Map<number, number>;
  territories: Map<number, number>;
}

function newTally(): Tally {
  return {
    voxels: 0,
    left: 0,
    sum: [0, 0, 0],
    templateSum: [0, 0, 0],
    labels: new Map(),
    lobes: new Map(),
    territories: new Map(),
  };
}

const bump = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);

/** Counts by atlas label → counts by display name (several labels may share a name). */
function byName(counts: Map<number, number>, name: (label: number) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [label, n] of counts) out.set(name(label), (out.get(name(label)) ?? 0) + n);
  return out;
}

interface Namers {
  readonly label: (value: number) => string;
  readonly structure: (lobe: number) => string;
  readonly territory: (label: number) => string;
  readonly subTerritory: (label: number) => string;
}

function shares(counts: Map<string, number>, total: number, minShare: number): Share[] {
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  return sorted
    .filter(([, n], i) => i === 0 || n / total >= minShare)
    .map(([name, n]) => ({ name, fraction: Math.round((n / total) * 1000) / 1000 }));
}

/** Nearest-voxel atlas label at a template position (0 outside the atlas grid). */
export function atlasLookup(atlas: AtlasLike): (p: readonly number[]) => number {
  const { m, o } = worldToIndexAffine(atlas.map.geometry);
  const [nx, ny, nz] = atlas.map.geometry.shape;
  const data = atlas.map.data;
  return (p) => {
    const i = Math.round(m[0] * p[0]! + m[1] * p[1]! + m[2] * p[2]! + o[0]);
    const j = Math.round(m[3] * p[0]! + m[4] * p[1]! + m[5] * p[2]! + o[1]);
    const k = Math.round(m[6] * p[0]! + m[7] * p[1]! + m[8] * p[2]! + o[2]);
    if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) return 0;
    return data[i + nx * (j + ny * k)]!;
  };
}

function describe(
  t: Tally,
  voxelMl: number,
  minShare: number,
  names: Namers,
): Omit<LesionLocation, 'centreMm' | 'templateCentreMm'> {
  const structureCounts = byName(t.lobes, names.structure);
  const regionCounts = byName(t.lobes, (l) => coarseRegionOf(names.structure(l)));
  const leftShare = t.left / t.voxels;
  return {
    volumeMl: Math.round(t.voxels * voxelMl * 1e4) / 1e4,
    labels: shares(byName(t.labels, names.label), t.voxels, 0),
    side: leftShare >= 0.9 ? 'left' : leftShare <= 0.1 ? 'right' : 'bilateral',
    region: shares(regionCounts, t.voxels, 1)[0]?.name ?? 'outside atlas',
    structures: shares(structureCounts, t.voxels, minShare),
    territories: shares(byName(t.territories, names.territory), t.voxels, minShare),
    subTerritories: shares(byName(t.territories, names.subTerritory), t.voxels, minShare),
  };
}

export function localiseLesions(options: LocaliseOptions): Localisation {
  const { labels, geometry } = options;
  const minShare = options.minShare ?? 0.1;
  const cc = connectedComponents(labels, geometry.shape, { connectivity: 26 });
  if (cc.count === 0) return { lesions: [], total: null };
  const toWorld = indexToWorldMatrix(geometry);
  const a = options.patientToTemplate;
  const lobeAt = atlasLookup(options.lobes);
  const territoryAt = atlasLookup(options.territories);
  const tallies = Array.from({ length: cc.count + 1 }, newTally);
  const [nx, ny] = geometry.shape;
  const w = [0, 0, 0];
  const p = [0, 0, 0];
  for (const v of cc.voxels) {
    const c = cc.labels[v]!;
    const i = v % nx;
    const j = Math.floor(v / nx) % ny;
    const k = Math.floor(v / (nx * ny));
    for (let r = 0; r < 3; r++)
      w[r] =
        toWorld[4 * r]! * i +
        toWorld[4 * r + 1]! * j +
        toWorld[4 * r + 2]! * k +
        toWorld[4 * r + 3]!;
    for (let r = 0; r < 3; r++)
      p[r] = a[4 * r]! * w[0]! + a[4 * r + 1]! * w[1]! + a[4 * r + 2]! * w[2]! + a[4 * r + 3]!;
    const lobe = lobeAt(p);
    const territory = territoryAt(p);
    for (const t of [tallies[c]!, tallies[0]!]) {
      t.voxels++;
      if (p[0]! > 0) t.left++;
      for (let r = 0; r < 3; r++) {
        t.sum[r]! += w[r]!;
        t.templateSum[r]! += p[r]!;
      }
      bump(t.labels, labels[v]!);
      bump(t.lobes, lobe);
      bump(t.territories, territory);
    }
  }
  const outside = (f: (l: number) => string) => (l: number) => (l === 0 ? 'outside atlas' : f(l));
  const names: Namers = {
    label: (value) => options.labelNames[value] ?? `label ${value}`,
    structure: outside((l) => structureName(options.lobes.names.get(l) ?? `label ${l}`)),
    territory: outside((l) => options.territories.groups.get(l) ?? `label ${l}`),
    subTerritory: outside((l) =>
      subTerritoryName(options.territories.names.get(l) ?? `label ${l}`),
    ),
  };
  const voxelMl = voxelVolumeMl(geometry);
  const round1 = (x: number) => Math.round(x * 10) / 10;
  const lesions = tallies
    .slice(1)
    .map((t) => ({
      ...describe(t, voxelMl, minShare, names),
      centreMm: t.sum.map((s) => round1(s / t.voxels)) as unknown as [number, number, number],
      templateCentreMm: t.templateSum.map((s) => round1(s / t.voxels)) as unknown as [
        number,
        number,
        number,
      ],
    }))
    .sort((x, y) => y.volumeMl - x.volumeMl);
  return { lesions, total: describe(tallies[0]!, voxelMl, minShare, names) };
}
