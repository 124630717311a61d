/**
 * The reference files one analysis reads (`../shared/data`, relative paths) and the parsers of
 * their label tables, free of the file system: the Node loader (reference-data.ts,
 * registration-templates.ts) reads them from disk, the service publishes exactly these files
 * (`/assets/reference/…`) and a browser worker fetches them, parsing both the same way.
 */

/** Each file an analysis needs, relative to the data root ('/'-separated). */
export const ANALYSIS_REFERENCE_FILES = {
  ctTemplate: 'templates/ct-older-adults/scct.nii.gz',
  mrTemplate: 'templates/mni-icbm152-2009a-sym/mni_icbm152_t1_tal_nlin_sym_09a_converted.nii.gz',
  brainMask: 'atlases/lobes-brainstem-cerebellum/ct_template_mask.nii.gz',
  lobeAtlas: 'atlases/lobes-brainstem-cerebellum/atlas_template_space.nii.gz',
  lobeLabels: 'atlases/lobes-brainstem-cerebellum/atlas_labels.csv',
  territoryAtlas: 'atlases/arterial-territories/ArterialAtlas136.nii.gz',
  territoryLabels: 'atlases/arterial-territories/ArterialAtlas136.txt',
} as const;

export type AnalysisReferenceFile = keyof typeof ANALYSIS_REFERENCE_FILES;

/** Coarse groups of the arterial atlas (4th column of ArterialAtlas136.txt). */
export const TERRITORY_GROUPS: ReadonlyMap<number, string> = new Map([
  [1, 'ACA left'],
  [2, 'ACA right'],
  [3, 'MCA left'],
  [4, 'MCA right'],
  [5, 'PCA left'],
  [6, 'PCA right'],
  [7, 'vertebrobasilar left'],
  [8, 'vertebrobasilar right'],
  [9, 'ventricle left'],
  [10, 'ventricle right'],
]);

/** A template's stable name for reports: 'ct-older-adults/scct' from its relative path. */
export function templateName(relativePath: string): string {
  const parts = relativePath.split('/');
  const file = parts.pop() ?? '';
  return `${parts.pop() ?? ''}/${file.replace(/\.nii(\.gz)?$/, '')}`;
}

/** atlas_labels.csv (header, then `index,name`) → names by label value. */
export function parseLobeLabels(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split(/\r?\n/).slice(1)) {
    const [index, name] = line.split(',');
    if (index && name && Number.isFinite(Number(index))) names.set(Number(index), name.trim());
  }
  return names;
}

/** ArterialAtlas136.txt (`index|abbrev|description|group`) → names and coarse groups. */
export function parseTerritoryLabels(text: string): {
  names: Map<number, string>;
  groups: Map<number, string>;
} {
  const names = new Map<number, string>();
  const groups = new Map<number, string>();
  for (const line of text.split(/\r?\n/)) {
    const [index, , description, group] = line.split('|');
    if (!index || !description || !group) continue;
    names.set(Number(index), description.trim());
    groups.set(Number(index), TERRITORY_GROUPS.get(Number(group)) ?? `group ${group}`);
  }
  return { names, groups };
}

/** Where the service publishes these files and the models (no token; no patient data). */
export const ASSET_PATHS = {
  reference: (file: AnalysisReferenceFile): string =>
    `/assets/reference/${ANALYSIS_REFERENCE_FILES[file]}`,
  model: (task: string, file: 'model.onnx' | 'card.json'): string =>
    `/assets/models/${task}/${file}`,
} as const;
