/** `neurotriage info <path>`: lists every series with modality, shape, spacing, orientation, b-values, range. */
import { isUserInputError } from '../core/errors.js';
import { intensityRange } from '../core/volume.js';
import { declaredVoxels } from '../io/load-limit.js';
import { type Catalog, type CatalogEntry, openCatalog } from '../io/series-catalog.js';
import type { SeriesSummary } from '../io/series-summary.js';
import { RESEARCH_NOTICE } from './notice.js';
import { progressBar } from './progress.js';

export interface InfoOptions {
  readonly json?: boolean;
  /** Decode pixels to report the intensity range (default true). */
  readonly intensity?: boolean;
}

export interface SeriesInfo extends SeriesSummary {
  readonly intensityRange?: { readonly min: number; readonly max: number };
  readonly units?: string;
  /** Geometry after loading (tilt/spacing corrections applied). */
  readonly loadedShape?: readonly number[];
  readonly loadedSpacingMm?: readonly number[];
}

export async function runInfo(path: string, options: InfoOptions): Promise<void> {
  const scanBar = progressBar('scanning');
  let catalog: Catalog;
  try {
    catalog = openCatalog(path, { onScanProgress: scanBar.onProgress });
  } finally {
    scanBar.stop();
  }
  const series: SeriesInfo[] = [];
  for (const entry of catalog.entries)
    series.push(await describe(entry, options.intensity ?? true));
  const report = { input: path, series, skipped: catalog.skipped, notice: RESEARCH_NOTICE };
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  process.stdout.write(formatText(report));
}

/**
 * `info` decodes a series for its intensity range only up to this many declared voxels (e.g. a
 * 512 × 512 × 120 CT), so that listing any input stays within a few hundred MB; a larger series
 * is described from its headers, and `analyze` reads it (up to its own load limit).
 */
export const INFO_MAX_DECODED_VOXELS = 32_000_000;

async function describe(entry: CatalogEntry, withIntensity: boolean): Promise<SeriesInfo> {
  if (!withIntensity) return entry.summary;
  const voxels = declaredVoxels(entry.summary);
  if (voxels !== null && voxels > INFO_MAX_DECODED_VOXELS)
    return {
      ...entry.summary,
      warnings: [
        ...entry.summary.warnings,
        `intensity range not computed: ${(voxels / 1e6).toFixed(0)} M voxels declared, over info's ` +
          `limit of ${(INFO_MAX_DECODED_VOXELS / 1e6).toFixed(0)} M`,
      ],
    };
  const bar = progressBar('decoding');
  try {
    const loaded = await entry.load({ onProgress: bar.onProgress });
    let min = Infinity;
    let max = -Infinity;
    for (const v of loaded.volumes) {
      const r = intensityRange(v.data);
      min = Math.min(min, r.min);
      max = Math.max(max, r.max);
    }
    const g = loaded.volumes[0]?.geometry;
    return {
      ...entry.summary,
      intensityRange: { min, max },
      units: loaded.volumes[0]?.meta.units,
      loadedShape: g?.shape,
      loadedSpacingMm: g?.spacingMm.map((s) => Math.round(s * 1e4) / 1e4),
      warnings: [...new Set([...entry.summary.warnings, ...loaded.warnings])],
    };
  } catch (e) {
    if (!isUserInputError(e)) throw e;
    return { ...entry.summary, warnings: [...entry.summary.warnings, `cannot load: ${e.message}`] };
  } finally {
    bar.stop();
  }
}

function fmt(v: readonly number[] | undefined, digits = 3): string {
  return v ? v.map((x) => Number(x.toFixed(digits))).join(' × ') : '?';
}

function formatText(report: {
  input: string;
  series: SeriesInfo[];
  skipped: { name: string; reason: string }[];
  notice: string;
}): string {
  const lines: string[] = [`${report.input}: ${report.series.length} series`];
  for (const s of report.series) {
    lines.push('', `series ${s.id}`);
    const row = (k: string, v: unknown) => {
      if (v !== undefined && v !== '') lines.push(`  ${k.padEnd(14)} ${String(v)}`);
    };
    row('number', s.seriesNumber);
    row('description', s.description);
    row('modality', [s.modality, s.bodyPart, s.manufacturer, s.model].filter(Boolean).join(' · '));
    row('contrast', s.contrastAgent);
    row('images', `${s.images} in ${s.files} file(s), ${s.volumes} volume(s)`);
    row('shape', fmt(s.shape, 0));
    row('spacing mm', fmt(s.spacingMm));
    if (s.loadedShape && fmt(s.loadedShape, 0) !== fmt(s.shape, 0))
      row('loaded as', `${fmt(s.loadedShape, 0)} at ${fmt(s.loadedSpacingMm)} mm`);
    row('orientation', s.orientation);
    row('gantry tilt', s.gantryTiltDeg !== undefined ? `${s.gantryTiltDeg}°` : undefined);
    row('b-values', s.bValues?.join(' '));
    if (s.traceVolumes) row('trace volumes', s.traceVolumes);
    if (s.intensityRange)
      row('range', `${s.intensityRange.min} … ${s.intensityRange.max} ${s.units ?? ''}`.trim());
    for (const w of s.warnings) lines.push(`  warning: ${w}`);
  }
  if (report.skipped.length > 0) {
    lines.push('', `skipped ${report.skipped.length} file(s):`);
    for (const s of report.skipped.slice(0, 20)) lines.push(`  ${s.name}: ${s.reason}`);
    if (report.skipped.length > 20) lines.push(`  … and ${report.skipped.length - 20} more`);
  }
  lines.push('', report.notice, '');
  return lines.join('\n');
}
