import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createVolume } from '../core/volume.js';
import { readLabelVolumeCached } from './label-cache.js';
import { writeNiftiFile } from './nifti/nifti-file.js';

const root = mkdtempSync(join(tmpdir(), 'nt-label-cache-'));
after(() => rmSync(root, { recursive: true, force: true }));

const geometry = {
  shape: [4, 3, 2] as const,
  spacingMm: [1, 1, 2] as const,
  originMm: [0, 0, 0] as const,
  direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as const,
};

function write(name: string, values: (v: number) => number): string {
  const path = join(root, name);
  writeNiftiFile(
    path,
    createVolume(
      geometry,
      Float64Array.from({ length: 24 }, (_, v) => values(v)),
    ),
  );
  return path;
}

describe('readLabelVolumeCached', () => {
  it('reads float64 labels as uint8 with the same values, then from the cache file', () => {
    const cacheDir = join(root, 'cache-a');
    const source = write('labels.nii.gz', (v) => v % 7);
    const first = readLabelVolumeCached(source, { cacheDir })!;
    assert.ok(first.data instanceof Uint8Array);
    assert.deepEqual(
      [...first.data],
      Array.from({ length: 24 }, (_, v) => v % 7),
    );
    assert.equal(readdirSync(cacheDir).length, 1);
    const second = readLabelVolumeCached(source, { cacheDir })!;
    assert.deepEqual([...second.data], [...first.data]);
    assert.deepEqual(second.geometry.shape, [4, 3, 2]);
    assert.deepEqual([...second.geometry.spacingMm], [1, 1, 2]);
  });

  it('reads a changed source again (new cache entry)', () => {
    const cacheDir = join(root, 'cache-b');
    const source = write('changing.nii.gz', (v) => v % 3);
    readLabelVolumeCached(source, { cacheDir });
    write('changing.nii.gz', (v) => (v % 3) + 10);
    utimesSync(source, new Date(), new Date(Date.now() + 5000));
    const again = readLabelVolumeCached(source, { cacheDir })!;
    assert.equal(again.data[1], 11);
    assert.equal(readdirSync(cacheDir).length, 2);
  });

  it('returns non-label data as read and does not cache it', () => {
    const cacheDir = join(root, 'cache-c');
    const source = write('probability.nii.gz', (v) => v / 24);
    const volume = readLabelVolumeCached(source, { cacheDir })!;
    assert.ok(volume.data instanceof Float64Array);
    assert.equal(volume.data[12], 0.5);
    assert.deepEqual(readdirSync(root).includes('cache-c') ? readdirSync(cacheDir) : [], []);
  });
});
