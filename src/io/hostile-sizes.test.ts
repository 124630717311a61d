/**
 * Inputs that declare or inflate to huge sizes, or whose bytes were damaged in a zip (issue 22):
 * refused from what they declare, before anything big is allocated; a damaged zip entry is
 * caught by its CRC-32; a stack with an absurd pixel size is refused instead of resampled.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zipSync } from 'fflate';
import { UserInputError } from '../core/errors.js';
import { ctSliceElements } from '../testing/dicom-writer.js';
import { writeDicom } from './dicom/write-dicom.js';
import { rawNifti } from './nifti/nifti-test-fixtures.js';
import { openCatalog, selectEntry } from './series-catalog.js';
import { unzipEntries } from './unzip-entries.js';

const dir = mkdtempSync(join(tmpdir(), 'neurotriage-sizes-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const MiB = 1024 * 1024;
const refused = (pattern: RegExp) => (e: unknown) =>
  e instanceof UserInputError && pattern.test(e.message);

/** A .nii.gz whose header declares 1000×1000×299 float32 (1.2 GB) followed by 1 MB of zeros. */
function hugeNiftiGz(): Uint8Array {
  const header = {
    dim: [3, 1000, 1000, 299, 1, 1, 1, 1],
    datatype: 16,
    bitpix: 32,
    vox_offset: 352,
  };
  return gzipSync(rawNifti(header, new Uint8Array(MiB)));
}

describe('a NIfTI file that declares a huge volume', () => {
  const path = join(dir, 'huge.nii.gz');
  writeFileSync(path, hugeNiftiGz());

  it('is listed from its header alone', () => {
    const rssBefore = process.memoryUsage().rss;
    const entry = selectEntry(openCatalog(path));
    assert.deepEqual(entry.summary.shape, [1000, 1000, 299]);
    const grownMb = (process.memoryUsage().rss - rssBefore) / 1e6;
    assert.ok(grownMb < 100, `memory grew by ${grownMb.toFixed(0)} MB`);
  });

  it('is refused by load before its voxels are inflated, with what it declares', async () => {
    const entry = selectEntry(openCatalog(path));
    await assert.rejects(
      entry.load(),
      refused(
        /^series huge\.nii\.gz declares 1000×1000×299 voxels \(1\.11 GiB as float32\), over the limit of 1 GiB: refused before reading it$/,
      ),
    );
  });

  it('loads when the caller raises the limit (and then finds the stream short)', async () => {
    const entry = selectEntry(openCatalog(path));
    await assert.rejects(
      entry.load({ maxDecodedBytes: 2 * 1024 ** 3 }),
      refused(/truncated NIfTI/),
    );
  });
});

describe('a zip', () => {
  const slice = writeDicom({
    elements: ctSliceElements({
      seriesUid: '1.2.826.0.1.3680043.8.498.23',
      instance: 1,
      positionMm: [0, 0, 0],
    }),
  });

  it('with a damaged byte in a stored entry is refused by its CRC-32', () => {
    const zip = zipSync({ 'slice.dcm': slice }, { level: 0 });
    const damaged = zip.slice();
    damaged[30 + 'slice.dcm'.length + 200]! ^= 0x10; // inside the stored file's bytes
    assert.equal(unzipEntries(zip).length, 1);
    assert.throws(
      () => unzipEntries(damaged),
      refused(
        /^zip entry slice\.dcm is corrupt: its CRC-32 does not match \(damaged bytes\): refused$/,
      ),
    );
  });

  it('whose entry declares more than the entry limit is refused before inflating', () => {
    const zip = zipSync({ 'big.dcm': new Uint8Array(64 * MiB) }, { level: 9 });
    const rssBefore = process.memoryUsage().rss;
    assert.throws(
      () => unzipEntries(zip, { maxEntryBytes: 8 * MiB, maxCompressionRatio: 1e9 }),
      refused(/^zip entry big\.dcm inflates past .* GiB: refused$/),
    );
    const grownMb = (process.memoryUsage().rss - rssBefore) / 1e6;
    assert.ok(grownMb < 32, `memory grew by ${grownMb.toFixed(0)} MB`);
  });

  it('whose entry inflates past the size its directory declares is stopped there', () => {
    const zip = zipSync({ 'x.dcm': new Uint8Array(4 * MiB) }, { level: 9 });
    const lie = zip.slice();
    const view = new DataView(lie.buffer);
    // Declared uncompressed size in the local header (offset 22) and the central directory (+24).
    view.setUint32(22, 1000, true);
    const central = lie.length - 22 - (46 + 'x.dcm'.length);
    view.setUint32(central + 24, 1000, true);
    assert.throws(
      () => unzipEntries(lie, { maxCompressionRatio: 1e9 }),
      refused(/x\.dcm is corrupt: it inflates past the 1000 bytes it declares/),
    );
  });
});

describe('a DICOM stack with an absurd pixel size', () => {
  it('is refused with the value, not resampled into an impossible grid', async () => {
    const folder = join(dir, 'tiny-pixels');
    const files: Record<string, Uint8Array> = {};
    [0, 3, 7].forEach((z, n) => {
      files[`s${n}.dcm`] = writeDicom({
        elements: ctSliceElements({
          seriesUid: '1.2.826.0.1.3680043.8.498.24',
          instance: n + 1,
          positionMm: [0, 0, z],
          pixelSpacingMm: 1e-20,
        }),
      });
    });
    const zipPath = `${folder}.zip`;
    writeFileSync(zipPath, zipSync(files));
    const entry = selectEntry(openCatalog(zipPath));
    assert.match(
      entry.summary.warnings.join('\n'),
      /Pixel Spacing 1e-20\\1e-20 mm is not a plausible pixel size/,
    );
    await assert.rejects(entry.load(), refused(/not a plausible pixel size \(0\.001–1000 mm\)/));
  });
});
