/**
 * Label volumes of the reference data (atlases, masks) kept in a compact on-disk cache. The lobe
 * atlas ships as float64 in a gzip (~0.5 s to read on 2 cores); the same labels as uint8 in an
 * uncompressed NIfTI read in ~10 ms. The cache file is keyed by the source's absolute path, size
 * and modification time, so a changed source is read again. The cache folder is
 * `$NEUROTRIAGE_CACHE_DIR`, else `~/.cache/neurotriage`; writing it is best effort (a read-only
 * home only costs the slow read). Sources whose values are not all integers 0..255 are returned
 * as read and not cached.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Volume } from '../core/volume.js';
import { compactLabels } from './compact-labels.js';
import { readNiftiFile, writeNiftiFile } from './nifti/nifti-file.js';

export function labelCacheDir(): string {
  return process.env.NEUROTRIAGE_CACHE_DIR ?? join(homedir(), '.cache', 'neurotriage');
}

function cachePath(source: string, cacheDir: string): string {
  const abs = resolve(source);
  const { size, mtimeMs } = statSync(abs);
  const key = createHash('sha256').update(`${abs}\n${size}\n${mtimeMs}`).digest('hex');
  return join(cacheDir, `labels-${key.slice(0, 24)}.nii`);
}

/** The first volume of a NIfTI label map, as uint8 from the cache when it can be. */
export function readLabelVolumeCached(
  source: string,
  options: { cacheDir?: string } = {},
): Volume | undefined {
  const path = cachePath(source, options.cacheDir ?? labelCacheDir());
  if (existsSync(path)) {
    try {
      const cached = readNiftiFile(path).volumes[0];
      if (cached) return cached;
    } catch {
      // A damaged cache file: read the source and write it again.
    }
  }
  const volume = readNiftiFile(source).volumes[0];
  if (!volume) return undefined;
  const compact = compactLabels(volume);
  if (!compact) return volume;
  try {
    writeNiftiFile(path, compact);
  } catch {
    // Best effort: the next run reads the source again.
  }
  return compact;
}
