/**
 * The most a series may take once decoded, checked against what its headers declare before any
 * voxel is read or inflated: `analyze` refuses a series over it with one line, instead of
 * spending seconds and gigabytes on a file that declares (or pretends to hold) a huge volume.
 * Decoded voxels are counted as float32 (what the pipeline works in).
 */
import { UserInputError } from '../core/errors.js';
import type { SeriesSummary } from './series-summary.js';

/** Default limit on a series' decoded size: 1 GiB of float32 voxels (268 million voxels). */
export const DEFAULT_MAX_DECODED_BYTES = 1024 ** 3;

export interface LoadLimit {
  /** Refuse a series whose declared voxels take more than this as float32 (default 1 GiB). */
  readonly maxDecodedBytes?: number;
}

/** Declared voxels of a series (all its volumes), from its summary; null when unknown. */
export function declaredVoxels(summary: Pick<SeriesSummary, 'shape' | 'volumes'>): number | null {
  const s = summary.shape;
  return s ? s[0] * s[1] * s[2] * Math.max(1, summary.volumes) : null;
}

export function checkDeclaredSize(
  summary: Pick<SeriesSummary, 'id' | 'shape' | 'volumes'>,
  limit: LoadLimit,
): void {
  const maxBytes = limit.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES;
  const voxels = declaredVoxels(summary);
  if (voxels === null || voxels * 4 <= maxBytes) return;
  const shape = summary.shape!.join('×');
  const volumes = summary.volumes > 1 ? ` × ${summary.volumes} volumes` : '';
  throw new UserInputError(
    `series ${summary.id} declares ${shape}${volumes} voxels (${gib(voxels * 4)} GiB ` +
      `as float32), over the limit of ${gib(maxBytes)} GiB: refused before reading it`,
    'too-large',
  );
}

const gib = (bytes: number): string => String(Math.round((bytes / 1024 ** 3) * 100) / 100);
