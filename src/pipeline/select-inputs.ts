/**
 * Picks, from the series found in an input (a series catalog: DICOM series and NIfTI files), the
 * images a model needs and the task they call for, and records the choice (`choice`: the rule
 * that decided, each series used with its role and why, each series skipped and why):
 *
 * - non-contrast head CT → 'ich', images [ct] in HU (the head series with most images);
 * - diffusion MR → 'infarct', images [dwi, adc] (select-diffusion.ts has the rules: the
 *   scanner's trace + ADC first, else trace and ADC computed from b0 and b>0 volumes).
 *
 * Before that: the caller's `series` (ids, UIDs or series numbers) keep only those series;
 * localisers, eADC, FA, colour FA, computed-b images and other derived maps are skipped by
 * their role (diffusion-series-roles.ts); of a repeated series the later one is kept unless it
 * is incomplete (series-choice.ts). With task 'auto', CT alone → ich, diffusion MR alone →
 * infarct; both → refused, asking for --task or --series (neither model should silently win).
 *
 * Refuses with a UserInputError saying why: contrast-enhanced CT (Contrast/Bolus Agent set),
 * a body part that is clearly not the head, no CT and no diffusion series, or a series of the
 * wrong modality for the task asked. The catalog is taken structurally (the io layer's
 * `CatalogEntry` fits), so this file does no I/O beyond calling each entry's `load`.
 */
import { UserInputError } from '../core/errors.js';
import { NEVER_INPUT, diffusionRoleOf } from './diffusion-series-roles.js';
import {
  type Candidate,
  type Picked,
  type SelectedInputs,
  type SeriesEntryLike,
  type Task,
  type TaskChoice,
  clearlyNotHead,
  hasContrastAgent,
  label,
  largest,
  loaded,
  looksLikeCt,
  sourcesOf,
} from './input-candidates.js';
import { selectDiffusion } from './select-diffusion.js';
import { type SkippedSeries, describe, dropRepeats, pickRequested } from './series-choice.js';

export type {
  LoadedSeriesLike,
  SelectedInputs,
  SeriesEntryLike,
  SeriesSummaryLike,
  Task,
  TaskChoice,
} from './input-candidates.js';
export type { SeriesChoice } from './series-choice.js';
export { clearlyNotHead, hasContrastAgent } from './input-candidates.js';

const ADC_TEXT = /(^|[^A-Z])ADC([^A-Z]|$)|APPARENT DIFFUSION/i;

async function classify(entry: SeriesEntryLike): Promise<Candidate> {
  const s = entry.summary;
  const type = (s.imageType ?? []).join(' ').toUpperCase();
  if (/LOCALIZER|SCOUT/.test(type))
    return { entry, kind: 'other', role: 'localiser', why: 'ImageType LOCALIZER' };
  if (s.format === 'nifti') {
    const data = await entry.load();
    const first = data.volumes[0];
    if (!first) return { entry, kind: 'other', loaded: data, why: 'no image' };
    if (looksLikeCt(first)) return { entry, kind: 'ct', loaded: data };
    // A file name says what a NIfTI is (eadc.nii.gz, fa.nii.gz, adc.nii.gz); so may its text.
    const name = s.id.replace(/\.nii(\.gz)?$/i, '');
    const role = diffusionRoleOf({ modality: 'MR', description: name });
    if (NEVER_INPUT.has(role.role) && role.role !== 'localiser')
      return { entry, kind: 'other', loaded: data, ...role };
    if (role.role === 'adc' || ADC_TEXT.test(s.description ?? ''))
      return {
        entry,
        kind: 'adc',
        loaded: data,
        role: 'adc',
        why: `named '${s.description ?? name}'`,
      };
    // a .bval sidecar makes a NIfTI file diffusion data
    return { entry, kind: data.diffusion.some((d) => d) ? 'dwi' : 'mr', loaded: data };
  }
  if (s.modality === 'CT') return { entry, kind: 'ct' };
  if (s.modality !== 'MR')
    return { entry, kind: 'other', why: `modality ${s.modality}: not an image the models read` };
  const role = diffusionRoleOf(s);
  if (NEVER_INPUT.has(role.role)) return { entry, kind: 'other', ...role };
  if (role.role === 'adc') return { entry, kind: 'adc', ...role };
  if (role.role === 'not-diffusion') return { entry, kind: 'mr', ...role };
  return { entry, kind: 'dwi', ...role };
}

/** Why a series of a role that is never a model input was skipped. */
function skipReason(c: Candidate): string {
  const role = c.role ? `${c.role}: ` : '';
  const never = c.role && NEVER_INPUT.has(c.role) ? ', never used as DWI or ADC' : '';
  return `${role}${c.why ?? 'not usable'}${never}`;
}

/** Picks series and task from catalog entries; see the file comment for the rules. */
export async function selectInputs(options: {
  entries: readonly SeriesEntryLike[];
  task?: TaskChoice;
  /** Use only these series: catalog ids, Series Instance UIDs (or unique prefixes), numbers. */
  series?: readonly string[];
}): Promise<SelectedInputs> {
  const wanted = options.task ?? 'auto';
  if (!['auto', 'ich', 'infarct'].includes(wanted))
    throw new UserInputError(`unknown task '${String(wanted)}' (expected auto, ich or infarct)`);
  if (options.entries.length === 0) throw new UserInputError('no image series found in the input');
  const skipped: SkippedSeries[] = [];
  let entries = options.entries;
  if (options.series?.length) {
    const requested = pickRequested(entries, options.series);
    entries = requested.picked;
    skipped.push(...requested.skipped);
  }
  const all: Candidate[] = [];
  for (const entry of entries) all.push(await classify(entry));
  const skip = (c: Candidate, why: string) =>
    skipped.push({ id: c.entry.id, description: describe(c.entry.summary), why });
  for (const c of all) if (c.kind === 'other') skip(c, skipReason(c));
  const dicom = all.filter((c) => c.kind !== 'other' && c.entry.summary.format === 'dicom');
  const repeats = dropRepeats(dicom.map((c) => ({ entry: c.entry, role: c.role ?? c.kind })));
  const dropped = new Set(repeats.skipped.map((s) => s.id));
  skipped.push(...repeats.skipped);
  const candidates = all.filter((c) => c.kind !== 'other' && !dropped.has(c.entry.id));

  const ct = candidates.filter((c) => c.kind === 'ct');
  const mr = candidates.filter((c) => c.kind === 'dwi' || c.kind === 'adc' || c.kind === 'mr');
  // DICOM MR that is not diffusion (FLAIR, T1…) does not call for the infarct task.
  const diffusionLike = mr.filter((c) => c.kind !== 'mr' || c.entry.summary.format === 'nifti');
  const found = all.map((c) => label(c.entry.summary)).join(', ');

  let task: Task;
  let taskWhy: string;
  if (wanted !== 'auto') {
    task = wanted;
    taskWhy = `task ${wanted} asked for`;
  } else if (ct.length > 0 && diffusionLike.length === 0) {
    task = 'ich';
    taskWhy = 'auto: CT and no diffusion MR';
  } else if (diffusionLike.length > 0 && ct.length === 0) {
    task = 'infarct';
    taskWhy = 'auto: diffusion MR and no CT';
  } else if (ct.length > 0)
    throw new UserInputError(
      `both CT and MR series found (${found}); choose the task with --task ich or --task infarct, or the series with --series`,
    );
  else
    throw new UserInputError(
      `no head CT and no diffusion MR series found (found: ${found}); analyze needs a non-contrast head CT or DWI + ADC`,
    );

  const picked = task === 'ich' ? await selectCt(ct, found) : await selectDiffusion(mr, found);
  const used = new Set(picked.series);
  for (const c of candidates)
    if (!used.has(c.entry.id))
      skip(c, `${c.role ?? c.kind}${c.why ? ` (${c.why})` : ''}: not used — ${picked.rule}`);
  const { rule, used: usedSeries, ...selected } = picked;
  return { ...selected, choice: { rule, task: taskWhy, used: usedSeries, skipped } };
}

async function selectCt(ct: readonly Candidate[], found: string): Promise<Picked> {
  if (ct.length === 0)
    throw new UserInputError(
      `task ich needs a non-contrast head CT, but no CT series was found (found: ${found})`,
    );
  const warnings: string[] = [];
  const head = ct.filter((c) => !clearlyNotHead(c.entry.summary));
  if (head.length === 0)
    throw new UserInputError(
      `the CT is of the ${ct[0]!.entry.summary.bodyPart} (Body Part Examined), not the head: the haemorrhage model reads head CT only`,
    );
  const plain = head.filter((c) => !hasContrastAgent(c.entry.summary));
  if (plain.length === 0)
    throw new UserInputError(
      `the CT was acquired with contrast (Contrast/Bolus Agent: '${head[0]!.entry.summary.contrastAgent}'): the haemorrhage model reads non-contrast CT only, since contrast mimics blood`,
    );
  const chosen = largest(plain);
  if (ct.length > 1)
    warnings.push(
      `${ct.length} CT series found; used ${label(chosen.entry.summary)}, the non-contrast head series with most images`,
    );
  const data = await loaded(chosen);
  warnings.push(...data.warnings);
  let image = data.volumes[0];
  if (!image) throw new UserInputError(`${label(chosen.entry.summary)} has no image`);
  if (data.volumes.length > 1)
    warnings.push(
      `${label(chosen.entry.summary)} has ${data.volumes.length} volumes; used the first`,
    );
  if (image.meta.units !== 'HU') {
    if (!looksLikeCt(image))
      throw new UserInputError(
        `${label(chosen.entry.summary)} is not in Hounsfield units (no air below −100): not a CT`,
      );
    image = { ...image, meta: { ...image.meta, modality: 'CT', units: 'HU' } };
    warnings.push(`${chosen.entry.id}: values read as Hounsfield units (NIfTI has no unit tag)`);
  }
  return {
    task: 'ich',
    images: [image],
    description: `${label(chosen.entry.summary)}, ${image.geometry.shape.join('×')} voxels`,
    series: [chosen.entry.id],
    warnings,
    ...sourcesOf([data]),
    rule:
      ct.length > 1
        ? 'the non-contrast head CT series with most images'
        : 'the only CT series, non-contrast head',
    used: [
      { id: chosen.entry.id, role: 'ct', why: `${chosen.entry.summary.images ?? '?'} images` },
    ],
  };
}
