/**
 * The rules that choose among several series of one study, and the record of the choice that
 * report.json's input section carries (`choice`): which series were used, in which role and
 * why, and which were skipped and why. Deterministic: the same catalog, in any order, gives
 * the same choice.
 *
 * - The caller may name the series to use (`--series`, the service's `series` field): by
 *   catalog id, Series Instance UID (or a unique prefix of either) or series number. Every
 *   other series is skipped as "not asked for"; a name matching none (or several) is refused.
 * - A repeated series (same role and description, e.g. a DWI run again after motion): the
 *   later one (higher series number, then later series time) is kept unless it has fewer
 *   images than the earlier one (incomplete: stopped early or still arriving).
 * - Trace + ADC: the scanner's isotropic trace at the highest clinical b (≤ 2500 s/mm², never
 *   a computed b) with the scanner's ADC from the same acquisition: same frame of reference
 *   and grid, nearest series number (Siemens TRACEW 12 ↔ ADC 11; GE/Philips/Canon ADC as
 *   N+1 or N×100+k).
 */
import { UserInputError } from '../core/errors.js';
import { type DiffusionRole, type RoleSummary, usefulB } from './diffusion-series-roles.js';

export interface ChoiceSummary extends RoleSummary {
  readonly id: string;
  readonly seriesUid?: string;
  readonly seriesNumber?: number;
  readonly frameOfReferenceUid?: string;
  readonly seriesTime?: string;
  readonly images?: number;
}

export interface UsedSeries {
  readonly id: string;
  readonly role: string;
  readonly why: string;
}

export interface SkippedSeries {
  readonly id: string;
  readonly description: string;
  readonly why: string;
}

/** How the input was chosen, as report.json's `input.choice` records it. */
export interface SeriesChoice {
  /** The rule that decided, in words. */
  readonly rule: string;
  /** Which task and why. */
  readonly task: string;
  readonly used: UsedSeries[];
  readonly skipped: SkippedSeries[];
}

export interface Roled<E> {
  readonly entry: E;
  readonly role: DiffusionRole;
  readonly why: string;
}

type WithSummary = { readonly id: string; readonly summary: ChoiceSummary };

export function describe(s: { readonly description?: string; readonly modality: string }): string {
  return `${s.modality} '${s.description ?? 'no description'}'`;
}

/** The series the caller named, and the others as skipped; a bad name is one clear line. */
export function pickRequested<E extends WithSummary>(
  entries: readonly E[],
  wanted: readonly string[],
): { picked: E[]; skipped: SkippedSeries[] } {
  const picked = new Set<E>();
  const list = entries.map((e) => `${e.id} (${describe(e.summary)})`).join(', ');
  for (const raw of wanted) {
    const name = raw.trim();
    const exact = entries.filter((e) => e.id === name || e.summary.seriesUid === name);
    const byNumber = entries.filter((e) => String(e.summary.seriesNumber) === name);
    const byPrefix = entries.filter(
      (e) => e.id.startsWith(name) || (e.summary.seriesUid?.startsWith(name) ?? false),
    );
    const found = [exact, byNumber, byPrefix].find((m) => m.length > 0) ?? [];
    if (found.length !== 1)
      throw new UserInputError(
        `series '${name}' (asked for) ${found.length === 0 ? 'matches no series' : `matches ${found.length} series`}; the input has: ${list}`,
      );
    picked.add(found[0]!);
  }
  const skipped = entries
    .filter((e) => !picked.has(e))
    .map((e) => ({
      id: e.id,
      description: describe(e.summary),
      why: 'not among the series asked for (--series / series field)',
    }));
  return { picked: entries.filter((e) => picked.has(e)), skipped };
}

function timeOf(s: ChoiceSummary): number {
  const t = Number.parseFloat((s.seriesTime ?? '').replace(/:/g, ''));
  return Number.isFinite(t) ? t : -1;
}

/** Later first: series number, then series time, then id (for a fixed order). */
function later(a: ChoiceSummary, b: ChoiceSummary): number {
  return (
    (b.seriesNumber ?? -1) - (a.seriesNumber ?? -1) ||
    timeOf(b) - timeOf(a) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Keeps one of each repeated series (see the file comment); the others as skipped. */
export function dropRepeats<R extends { readonly entry: WithSummary; readonly role: string }>(
  series: readonly R[],
): { kept: R[]; skipped: SkippedSeries[] } {
  const groups = new Map<string, R[]>();
  for (const r of series) {
    const s = r.entry.summary;
    const key = `${r.role}|${(s.description ?? '').trim().toUpperCase()}|${s.shape?.join('x') ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const kept: R[] = [];
  const skipped: SkippedSeries[] = [];
  for (const group of groups.values()) {
    const ordered = [...group].sort((a, b) => later(a.entry.summary, b.entry.summary));
    const most = Math.max(...ordered.map((r) => r.entry.summary.images ?? 0));
    const keep = ordered.find((r) => (r.entry.summary.images ?? 0) >= most) ?? ordered[0]!;
    kept.push(keep);
    for (const r of ordered) {
      if (r === keep) continue;
      const s = r.entry.summary;
      const isLater = later(s, keep.entry.summary) < 0;
      skipped.push({
        id: r.entry.id,
        description: describe(s),
        why: isLater
          ? `repeat of ${keep.entry.id}, incomplete (${s.images ?? 0} images, the earlier one has ${keep.entry.summary.images ?? 0})`
          : `repeat of ${keep.entry.id}: the later series is used`,
      });
    }
  }
  const order = new Map(series.map((r, i) => [r, i]));
  kept.sort((a, b) => order.get(a)! - order.get(b)!);
  return { kept, skipped };
}

function family(a?: number, b?: number): number {
  if (a === undefined || b === undefined) return 1e6;
  const [lo, hi] = a < b ? [a, b] : [b, a];
  if (Math.floor(hi / 100) === lo) return 0.5; // GE/Canon: DWI 5, ADC 500–599
  return hi - lo;
}

function sameAcquisition(a: ChoiceSummary, b: ChoiceSummary): boolean {
  if (
    a.frameOfReferenceUid &&
    b.frameOfReferenceUid &&
    a.frameOfReferenceUid !== b.frameOfReferenceUid
  )
    return false;
  if (a.shape && b.shape && a.shape.join('x') !== b.shape.join('x')) return false;
  return true;
}

/**
 * The scanner's trace and ADC from one acquisition (see the file comment), or undefined when
 * no trace has an ADC beside it. `why` says why these two.
 */
export function traceAdcPair<E extends WithSummary>(
  traces: readonly Roled<E>[],
  adcs: readonly Roled<E>[],
): { trace: Roled<E>; adc: Roled<E>; why: string } | undefined {
  const ranked = [...traces].sort(
    (a, b) =>
      usefulB(b.entry.summary) - usefulB(a.entry.summary) ||
      later(a.entry.summary, b.entry.summary),
  );
  for (const trace of ranked) {
    const t = trace.entry.summary;
    const partners = adcs
      .filter((a) => sameAcquisition(t, a.entry.summary))
      .sort(
        (a, b) =>
          family(t.seriesNumber, a.entry.summary.seriesNumber) -
            family(t.seriesNumber, b.entry.summary.seriesNumber) ||
          later(a.entry.summary, b.entry.summary),
      );
    const adc = partners[0];
    if (!adc) continue;
    const b = usefulB(t);
    const why = [
      `the scanner's isotropic trace${b > 0 ? ` at b${b}` : ''}${traces.length > 1 ? ` (highest clinical b of ${traces.length} trace series)` : ''}`,
      `with the ADC of the same acquisition (same frame of reference and grid${adcs.length > 1 ? ', nearest series number' : ''})`,
    ].join(' ');
    return { trace, adc, why };
  }
  return undefined;
}
