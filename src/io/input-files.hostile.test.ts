/**
 * Hostile file-system inputs (issue 22): only regular files are read, a folder walk skips
 * symbolic-link loops and broken links (and reads the rest), and devices and FIFOs are refused
 * at once instead of read forever.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserInputError } from '../core/errors.js';
import { ctSliceFixture } from '../testing/dicom-writer.js';
import { openCatalog } from './series-catalog.js';

const dir = mkdtempSync(join(tmpdir(), 'neurotriage-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function folderWithSlice(name: string): string {
  const folder = join(dir, name);
  mkdirSync(folder);
  const slice = ctSliceFixture({
    seriesUid: '1.2.826.0.1.3680043.8.498.22',
    instance: 1,
    positionMm: [0, 0, 0],
  });
  writeFileSync(join(folder, 'slice.dcm'), slice);
  return folder;
}

const refused = (pattern: RegExp) => (e: unknown) =>
  e instanceof UserInputError && pattern.test(e.message);

describe('a folder walk', () => {
  it('reads the files beside a link to the folder itself, and skips the loop', () => {
    const folder = folderWithSlice('loop-self');
    symlinkSync('.', join(folder, 'loop'));
    const catalog = openCatalog(folder);
    assert.equal(catalog.entries.length, 1);
    assert.deepEqual(
      catalog.skipped.map((s) => s.name),
      ['loop'],
    );
    assert.match(catalog.skipped[0]!.reason, /already read \(a loop\?\)/);
  });

  it('skips two links that point at each other', () => {
    const folder = folderWithSlice('loop-pair');
    symlinkSync('b', join(folder, 'a'));
    symlinkSync('a', join(folder, 'b'));
    const catalog = openCatalog(folder);
    assert.equal(catalog.entries.length, 1);
    assert.deepEqual(
      catalog.skipped.map((s) => `${s.name}: ${s.reason}`),
      ['a: a symbolic link loop', 'b: a symbolic link loop'],
    );
  });

  it('skips a dangling link and reads the valid file beside it', () => {
    const folder = folderWithSlice('dangling');
    symlinkSync('nowhere.dcm', join(folder, 'gone.dcm'));
    const catalog = openCatalog(folder);
    assert.equal(catalog.entries.length, 1);
    assert.deepEqual(catalog.skipped, [
      { name: 'gone.dcm', reason: 'a broken symbolic link (its target does not exist)' },
    ]);
  });

  it('skips a FIFO without opening it', () => {
    const folder = folderWithSlice('with-fifo');
    execFileSync('mkfifo', [join(folder, 'x.dcm')]);
    const catalog = openCatalog(folder);
    assert.equal(catalog.entries.length, 1);
    assert.deepEqual(catalog.skipped, [{ name: 'x.dcm', reason: 'not a regular file (a FIFO)' }]);
  });

  it('skips a link to a device', () => {
    const folder = folderWithSlice('with-device');
    symlinkSync('/dev/zero', join(folder, 'zero.dcm'));
    const catalog = openCatalog(folder);
    assert.equal(catalog.entries.length, 1);
    assert.deepEqual(catalog.skipped, [
      { name: 'zero.dcm', reason: 'not a regular file (a character device)' },
    ]);
  });
});

describe('a single path that is not a regular file', () => {
  it('is refused: a device, a link to it, a FIFO', () => {
    symlinkSync('/dev/zero', join(dir, 'zero.dcm'));
    execFileSync('mkfifo', [join(dir, 'fifo.dcm')]);
    assert.throws(
      () => openCatalog('/dev/zero'),
      refused(/^input is not a regular file \(a character device\): \/dev\/zero$/),
    );
    assert.throws(
      () => openCatalog(join(dir, 'zero.dcm')),
      refused(/not a regular file \(a character device\)/),
    );
    assert.throws(
      () => openCatalog(join(dir, 'fifo.dcm')),
      refused(/not a regular file \(a FIFO\)/),
    );
  });

  it('is refused when it is a link loop', () => {
    symlinkSync('self.dcm', join(dir, 'self.dcm'));
    assert.throws(() => openCatalog(join(dir, 'self.dcm')), refused(/symbolic link loop/));
  });
});
