/**
 * Picks, from the series found in an input (a series catalog: DICOM series and NIfTI files), the
 * images a model needs and the task they call for:
 *
 * - non-contrast head CT → 'ich', images [ct] in HU;
 * - diffusion MR → 'infarct', images [dwi, adc]: either one DWI series holding b0 and b>0
 *   volumes (trace and ADC computed with `computeDiffusionMaps`), or a DWI/trace series plus an
 *   ADC series (recognised by "ADC" in its description, ImageType or file name, else by
 *   `detectAdcUnits` succeeding on the second MR series).
 *
 * Refuses with a UserInputError saying why: contrast-enhanced CT (Contrast/Bolus Agent set),
 * a body part that is clearly not the head, no CT and no diffusion series, or a series of the
 * wrong modality for the task asked. The catalog is taken structurally (the io layer's
 * `CatalogEntry` fits), so this file does no I/O beyond calling each entry's `load`.
 */
import type { DicomSourceReference } from '../core/dicom-source.js';
import { UserInputError } from '../core/errors.js';
import type { Volume } from '../core/volume.js';
import {
  computeDiffusionMaps,
  detectAdcUnits,
  withDetectedAdcUnits,
} from '../preprocess/diffusion-maps.js';
import { sameGeometry } from '../core/geometry.js';

export type Task = 'ich' | 'infarct';
export type TaskChoice = Task | 'auto';

/** What selection reads of a series summary (io's SeriesSummary has all of it). */
export interface SeriesSummaryLike {
  readonly id: string;
  readonly format: 'dicom' | 'nifti';
  readonly modality: string;
  readonly description?: string;
  readonly bodyPart?: string;
  readonly contrastAgent?: string;
  readonly imageType?: readonly string[];
  readonly bValues?: readonly number[];
  readonly images?: number;
}

export interface LoadedSeriesLike {
  readonly volumes: readonly Volume[];
  readonly diffusion: readonly ({ readonly bValue: number; readonly kind?: string } | undefined)[];
  readonly warnings: readonly string[];
  /** DICOM series: the images' identity, for outputs that reference them (SEG, SR). */
  readonly source?: DicomSourceReference;
}

export interface SeriesEntryLike {
  readonly id: string;
  readonly summary: SeriesSummaryLike;
  readonly load: () => Promise<LoadedSeriesLike>;
}

export interface SelectedInputs {
  readonly task: Task;
  /** Model channels in order: [ct] or [dwi, adc]. */
  readonly images: Volume[];
  /** One line saying what was picked, e.g. "CT 'Head 5mm' (40 slices)". */
  readonly description: string;
  /** Ids of the series used. */
  readonly series: string[];
  readonly warnings: string[];
  /**
   * The DICOM series the images came from, in the order of `series` (the first is the one
   * whose grid the results lie on); absent when the input was not DICOM.
   */
  readonly sources?: DicomSourceReference[];
}

type Kind = 'ct' | 'dwi' | 'adc' | 'mr' | 'other';

interface Candidate {
  readonly entry: SeriesEntryLike;
  readonly kind: Kind;
  readonly loaded?: LoadedSeriesLike;
}

const HEAD_BODY_PART = /HEAD|BRAIN|SKULL|CEREBR|NEURO|CRANI|ORBIT|STROKE/i;
/** Contrast/Bolus Agent values that mean "no contrast". */
const NO_CONTRAST = /^\s*(none|no|nil|n\/?a|-+|0)?\s*$/i;

function label(s: SeriesSummaryLike): string {
  if (s.format === 'nifti') return `${s.id}${s.description ? ` '${s.description}'` : ''}`;
  return `${s.modality} '${s.description ?? s.id}'`;
}

function mentionsAdc(s: SeriesSummaryLike): boolean {
  const text = [s.description ?? '', ...(s.imageType ?? []), s.format === 'nifti' ? s.id : '']
    .join(' ')
    .toUpperCase();
  return /(^|[^A-Z])ADC([^A-Z]|$)|APPARENT DIFFUSION/.test(text);
}

/** True when the Contrast/Bolus Agent tag names an agent. */
export function hasContrastAgent(summary: Pick<SeriesSummaryLike, 'contrastAgent'>): boolean {
  return summary.contrastAgent !== undefined && !NO_CONTRAST.test(summary.contrastAgent);
}

/** True when Body Part Examined is recorded and is clearly not the head. */
export function clearlyNotHead(summary: Pick<SeriesSummaryLike, 'bodyPart'>): boolean {
  const part = summary.bodyPart?.trim();
  return part !== undefined && part !== '' && !HEAD_BODY_PART.test(part);
}

/** NIfTI carries no modality: values below −100 can only be CT in HU. */
function looksLikeCt(volume: Volume): boolean {
  const d = volume.data;
  let negative = 0;
  for (let v = 0; v < d.length; v += 7) if (d[v]! < -100) negative++;
  return negative > 0.05 * (d.length / 7);
}

async function classify(entry: SeriesEntryLike): Promise<Candidate> {
  const s = entry.summary;
  const type = (s.imageType ?? []).join(' ').toUpperCase();
  if (/LOCALIZER|SCOUT/.test(type)) return { entry, kind: 'other' };
  if (s.format === 'nifti') {
    const loaded = await entry.load();
    const first = loaded.volumes[0];
    if (!first) return { entry, kind: 'other', loaded };
    if (looksLikeCt(first)) return { entry, kind: 'ct', loaded };
    if (mentionsAdc(s)) return { entry, kind: 'adc', loaded };
    // a .bval sidecar makes a NIfTI file diffusion data
    return { entry, kind: loaded.diffusion.some((d) => d) ? 'dwi' : 'mr', loaded };
  }
  if (s.modality === 'CT') return { entry, kind: 'ct' };
  if (s.modality !== 'MR') return { entry, kind: 'other' };
  if (mentionsAdc(s)) return { entry, kind: 'adc' };
  const isDwi =
    (s.bValues?.some((b) => b >= 50) ?? false) ||
    /DIFFUSION|DWI|TRACE|\bDW\b|B1000|EPI_?DIFF/i.test(`${s.description ?? ''} ${type}`);
  return { entry, kind: isDwi ? 'dwi' : 'mr' };
}

async function loaded(c: Candidate): Promise<LoadedSeriesLike> {
  return c.loaded ?? (await c.entry.load());
}

function largest(candidates: readonly Candidate[]): Candidate {
  return [...candidates].sort(
    (a, b) => (b.entry.summary.images ?? 0) - (a.entry.summary.images ?? 0),
  )[0]!;
}

/** Picks series and task from catalog entries; see the file comment for the rules. */
export async function selectInputs(options: {
  entries: readonly SeriesEntryLike[];
  task?: TaskChoice;
}): Promise<SelectedInputs> {
  const wanted = options.task ?? 'auto';
  if (!['auto', 'ich', 'infarct'].includes(wanted))
    throw new UserInputError(`unknown task '${String(wanted)}' (expected auto, ich or infarct)`);
  if (options.entries.length === 0) throw new UserInputError('no image series found in the input');
  const candidates: Candidate[] = [];
  for (const entry of options.entries) candidates.push(await classify(entry));
  const ct = candidates.filter((c) => c.kind === 'ct');
  const mr = candidates.filter((c) => c.kind === 'dwi' || c.kind === 'adc' || c.kind === 'mr');
  // DICOM MR that is not diffusion (FLAIR, T1…) does not call for the infarct task.
  const diffusionLike = mr.filter((c) => c.kind !== 'mr' || c.entry.summary.format === 'nifti');
  const found = candidates.map((c) => label(c.entry.summary)).join(', ');

  let task: Task;
  if (wanted !== 'auto') task = wanted;
  else if (ct.length > 0 && diffusionLike.length === 0) task = 'ich';
  else if (diffusionLike.length > 0 && ct.length === 0) task = 'infarct';
  else if (ct.length > 0)
    throw new UserInputError(
      `both CT and MR series found (${found}); choose the task with --task ich or --task infarct`,
    );
  else
    throw new UserInputError(
      `no head CT and no diffusion MR series found (found: ${found}); analyze needs a non-contrast head CT or DWI + ADC`,
    );

  if (task === 'ich') return selectCt(ct, found);
  return selectDiffusion(mr, found);
}

async function selectCt(ct: readonly Candidate[], found: string): Promise<SelectedInputs> {
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
  };
}

/** b-values and kinds of a loaded diffusion series (from its DICOM diffusion tags). */
function diffusionTable(data: LoadedSeriesLike): { bValues: number[]; kinds: string[] } | null {
  if (data.volumes.length < 2 || data.diffusion.length !== data.volumes.length) return null;
  if (data.diffusion.some((d) => d === undefined)) return null;
  return {
    bValues: data.diffusion.map((d) => d!.bValue),
    kinds: data.diffusion.map((d) => d!.kind ?? 'unknown'),
  };
}

async function selectDiffusion(mr: readonly Candidate[], found: string): Promise<SelectedInputs> {
  if (mr.length === 0)
    throw new UserInputError(
      `task infarct needs diffusion MR (DWI + ADC, or b0 + b1000), but no MR series was found (found: ${found})`,
    );
  const warnings: string[] = [];
  const notHead = mr.filter((c) => clearlyNotHead(c.entry.summary));
  if (notHead.length === mr.length)
    throw new UserInputError(
      `the MR is of the ${mr[0]!.entry.summary.bodyPart} (Body Part Examined), not the head: the infarct model reads brain DWI only`,
    );
  const usable = mr.filter((c) => !clearlyNotHead(c.entry.summary));

  // 1. One series with b0 and b>0 volumes: compute trace and ADC.
  for (const c of usable.filter((x) => x.kind === 'dwi')) {
    const data = await loaded(c);
    const table = diffusionTable(data);
    if (!table || !table.bValues.some((b) => b < 50) || !table.bValues.some((b) => b >= 50))
      continue;
    const maps = computeDiffusionMaps({
      volumes: data.volumes,
      bValues: table.bValues,
      kinds: table.kinds.map((k) =>
        k === 'b0' || k === 'directional' || k === 'trace' ? k : 'unknown',
      ),
    });
    if (!maps.adc.data.some((x) => x > 0))
      throw new UserInputError(
        `${label(c.entry.summary)}: the ADC computed from b-values ${[...new Set(table.bValues.map(Math.round))].join(', ')} is 0 everywhere (the b>0 images are no darker than b0): not usable diffusion data`,
      );
    warnings.push(...data.warnings);
    return {
      task: 'infarct',
      images: [maps.trace, maps.adc],
      description: `${label(c.entry.summary)}: trace b${Math.round(maps.bValue)} and ADC computed from b-values ${[...new Set(table.bValues.map(Math.round))].join(', ')}`,
      series: [c.entry.id],
      warnings,
      ...sourcesOf([data]),
    };
  }

  // 1b. Separate b0 and b>0 series (e.g. dwi.nii.gz + b0.nii.gz with .bval sidecars).
  const pair = await b0AndDwiPair(usable);
  if (pair) {
    warnings.push(...pair.warnings);
    return pair;
  }

  // 2. A DWI (trace) series and an ADC series.
  let adc = usable.find((c) => c.kind === 'adc');
  // DICOM MR that is not diffusion (FLAIR, T1…) is never taken; a NIfTI file may be.
  const dwiCandidates = usable.filter(
    (c) => c.kind === 'dwi' || (c.kind === 'mr' && c.entry.summary.format === 'nifti'),
  );
  const dwi = dwiCandidates.find((c) => c.kind === 'dwi') ?? dwiCandidates[0];
  if (!dwi)
    throw new UserInputError(
      `no diffusion-weighted (DWI/trace) series found (found: ${found}); the infarct model needs DWI + ADC, or b0 + b1000`,
    );
  if (!adc) {
    // Unlabelled: the second MR series is the ADC if its values have ADC units.
    const other = usable.find((c) => c !== dwi);
    const volume = other && (await loaded(other)).volumes[0];
    if (other && volume) {
      try {
        const detected = detectAdcUnits(volume);
        adc = other;
        warnings.push(`${other.entry.id} taken as the ADC map: ${detected.reason}`);
      } catch {
        adc = undefined;
      }
    }
  }
  if (!adc && usable.length === 1 && (await loaded(usable[0]!)).volumes.length === 1)
    throw new UserInputError(
      `only one diffusion image was given (${label(usable[0]!.entry.summary)}, a single volume): the infarct model needs DWI + ADC, DWI + b0 with their .bval sidecars, or a 4-D DWI with its .bval`,
    );
  if (!adc)
    throw new UserInputError(
      `no ADC map found and no series with b0 and b>0 volumes to compute one (found: ${found}); give DWI and ADC (analyze dwi.nii.gz adc.nii.gz), DWI + b0 with .bval sidecars, or a 4-D DWI with its .bval sidecar`,
    );
  const dwiData = await loaded(dwi);
  const adcData = await loaded(adc);
  warnings.push(...dwiData.warnings, ...adcData.warnings);
  const dwiImage = highestB(dwiData);
  const adcImage = adcData.volumes[0];
  if (!dwiImage || !adcImage) throw new UserInputError('DWI or ADC series has no image');
  // Units detected once (a clear error for a map that is not ADC) and recorded on the volume:
  // the model input and the low-ADC yardstick read them from there.
  const { volume: adcWithUnits, detection: units } = withDetectedAdcUnits(adcImage);
  if (adcData.volumes.length > 1)
    warnings.push(`${adc.entry.id} has ${adcData.volumes.length} volumes; used the first`);
  return {
    task: 'infarct',
    images: [dwiImage, adcWithUnits],
    description: `DWI ${label(dwi.entry.summary)} + ADC ${label(adc.entry.summary)} (ADC in ${units.units})`,
    series: [dwi.entry.id, adc.entry.id],
    warnings,
    ...sourcesOf([dwiData, adcData]),
  };
}

/**
 * A b0-only series and a b>0-only series (two NIfTI files with .bval sidecars, or DICOM series
 * split by b-value): trace and ADC computed from the two together. They must share a grid.
 */
async function b0AndDwiPair(usable: readonly Candidate[]): Promise<SelectedInputs | undefined> {
  const withTable: { c: Candidate; data: LoadedSeriesLike; b: number[] }[] = [];
  for (const c of usable.filter((x) => x.kind === 'dwi')) {
    const data = await loaded(c);
    const d = data.diffusion;
    if (d.length === data.volumes.length && d.every((x) => x !== undefined))
      withTable.push({ c, data, b: d.map((x) => x!.bValue) });
  }
  const b0 = withTable.find((t) => t.b.every((b) => b < 50));
  const dwi = withTable.find((t) => t.b.every((b) => b >= 50));
  if (!b0 || !dwi) return undefined;
  const g0 = b0.data.volumes[0]!.geometry;
  const g1 = dwi.data.volumes[0]!.geometry;
  if (!sameGeometry(g0, g1))
    throw new UserInputError(
      `b0 ${label(b0.c.entry.summary)} (${g0.shape.join('×')}, ${g0.spacingMm.map((x) => x.toFixed(2)).join('×')} mm) and DWI ${label(dwi.c.entry.summary)} (${g1.shape.join('×')}, ${g1.spacingMm.map((x) => x.toFixed(2)).join('×')} mm) are on different grids: the ADC needs both on one grid (resample one onto the other first)`,
    );
  const volumes = [...b0.data.volumes, ...dwi.data.volumes];
  const bValues = [...b0.b, ...dwi.b];
  const maps = computeDiffusionMaps({
    volumes,
    bValues,
    kinds: bValues.map((b) => (b < 50 ? 'b0' : 'unknown')),
  });
  return {
    task: 'infarct',
    images: [maps.trace, maps.adc],
    description: `b0 ${label(b0.c.entry.summary)} + DWI ${label(dwi.c.entry.summary)}: trace b${Math.round(maps.bValue)} and ADC computed`,
    series: [dwi.c.entry.id, b0.c.entry.id],
    warnings: [...b0.data.warnings, ...dwi.data.warnings],
    ...sourcesOf([dwi.data, b0.data]),
  };
}

/** `{ sources }` when the first series (whose grid results lie on) is DICOM, else nothing. */
function sourcesOf(data: readonly LoadedSeriesLike[]): { sources?: DicomSourceReference[] } {
  if (!data[0]?.source) return {};
  return { sources: data.flatMap((d) => (d.source ? [d.source] : [])) };
}

/** The volume with the highest b-value (the trace image), else the last volume. */
function highestB(data: LoadedSeriesLike): Volume | undefined {
  let best = data.volumes.length - 1;
  data.diffusion.forEach((d, i) => {
    const current = data.diffusion[best]?.bValue ?? -1;
    if (d && d.bValue >= current && data.volumes[i]) best = i;
  });
  return data.volumes[best];
}
