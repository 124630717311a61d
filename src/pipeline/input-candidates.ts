/**
 * The types input selection works on (select-inputs.ts, select-diffusion.ts): a catalog entry
 * taken structurally, what selection makes of it (a candidate: its kind and, for DICOM MR, its
 * diffusion role), and what it returns (the chosen images, ids and the record of the choice).
 */
import type { DicomSourceReference } from '../core/dicom-source.js';
import type { Volume } from '../core/volume.js';
import type { DiffusionRole } from './diffusion-series-roles.js';
import type { ChoiceSummary, SeriesChoice, UsedSeries } from './series-choice.js';

export type Task = 'ich' | 'infarct';
export type TaskChoice = Task | 'auto';

/** What selection reads of a series summary (io's SeriesSummary has all of it). */
export interface SeriesSummaryLike extends ChoiceSummary {
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
  /** Which rule chose, what was used in which role and what was skipped, with reasons. */
  readonly choice?: SeriesChoice;
}

/** What a selection step returns before the choice record is completed. */
export type Picked = Omit<SelectedInputs, 'choice'> & {
  readonly rule: string;
  readonly used: UsedSeries[];
};

export type Kind = 'ct' | 'dwi' | 'adc' | 'mr' | 'other';

export interface Candidate {
  readonly entry: SeriesEntryLike;
  readonly kind: Kind;
  readonly loaded?: LoadedSeriesLike;
  /** DICOM MR: the diffusion role (diffusion-series-roles.ts) and why. */
  readonly role?: DiffusionRole;
  readonly why?: string;
}

export function label(s: SeriesSummaryLike): string {
  if (s.format === 'nifti') return `${s.id}${s.description ? ` '${s.description}'` : ''}`;
  return `${s.modality} '${s.description ?? s.id}'`;
}

export async function loaded(c: Candidate): Promise<LoadedSeriesLike> {
  return c.loaded ?? (await c.entry.load());
}

/** `{ sources }` when the first series (whose grid results lie on) is DICOM, else nothing. */
export function sourcesOf(data: readonly LoadedSeriesLike[]): { sources?: DicomSourceReference[] } {
  if (!data[0]?.source) return {};
  return { sources: data.flatMap((d) => (d.source ? [d.source] : [])) };
}

/** The candidate with most images (first in the given order on a tie). */
export function largest(candidates: readonly Candidate[]): Candidate {
  return [...candidates].sort(
    (a, b) => (b.entry.summary.images ?? 0) - (a.entry.summary.images ?? 0),
  )[0]!;
}

/** NIfTI carries no modality: values below −100 can only be CT in HU. */
export function looksLikeCt(volume: Volume): boolean {
  const d = volume.data;
  let negative = 0;
  for (let v = 0; v < d.length; v += 7) if (d[v]! < -100) negative++;
  return negative > 0.05 * (d.length / 7);
}

const HEAD_BODY_PART = /HEAD|BRAIN|SKULL|CEREBR|NEURO|CRANI|ORBIT|STROKE/i;
/** Contrast/Bolus Agent values that mean "no contrast". */
const NO_CONTRAST = /^\s*(none|no|nil|n\/?a|-+|0)?\s*$/i;

/** True when the Contrast/Bolus Agent tag names an agent. */
export function hasContrastAgent(summary: Pick<SeriesSummaryLike, 'contrastAgent'>): boolean {
  return summary.contrastAgent !== undefined && !NO_CONTRAST.test(summary.contrastAgent);
}

/** True when Body Part Examined is recorded and is clearly not the head. */
export function clearlyNotHead(summary: Pick<SeriesSummaryLike, 'bodyPart'>): boolean {
  const part = summary.bodyPart?.trim();
  return part !== undefined && part !== '' && !HEAD_BODY_PART.test(part);
}
