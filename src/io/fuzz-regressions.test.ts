/**
 * Regressions found by the fuzz harness (src/fuzz), each rebuilt in code from a tiny synthetic
 * series written by the repository's own DICOM writer: the reader must refuse it with a
 * `UserInputError` (one line naming the file and what is wrong), never crash.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UserInputError } from '../core/errors.js';
import { ctSliceElements, writeDicom } from '../testing/dicom-writer.js';
import type { InputFile } from './input-files.js';
import { catalogFromFiles } from './series-catalog.js';

const UID = '1.2.826.0.1.3680043.8.498.22';

/** An axial stack of 16×16 CT slices; `edit` changes the elements of slice n. */
function series(
  zMm: readonly number[],
  edit: (n: number, specs: ReturnType<typeof ctSliceElements>) => void = () => {},
): InputFile[] {
  return zMm.map((z, n) => {
    const specs = ctSliceElements({ seriesUid: UID, instance: n + 1, positionMm: [0, 0, z] });
    edit(n, specs);
    return { name: `slice-${n + 1}.dcm`, bytes: writeDicom({ elements: specs }) };
  });
}

function setDs(specs: ReturnType<typeof ctSliceElements>, tag: [number, number], value: string) {
  specs.push({ tag, vr: 'DS', value });
}

/** Loads every series; returns the messages of the refusals, throws anything else. */
async function refusals(files: InputFile[]): Promise<string[]> {
  const catalog = catalogFromFiles(files);
  const out = catalog.skipped.map((s) => s.reason);
  for (const entry of catalog.entries) {
    try {
      await entry.load();
    } catch (e) {
      if (!(e instanceof UserInputError)) throw e;
      out.push(e.message);
    }
  }
  return out;
}

describe('fuzz regressions: absurd slice geometry', () => {
  it('refuses a slice at ImagePositionPatient 1e20 among good ones (was: Invalid typed array length)', async () => {
    const files = series([0, 5, 10], (n, specs) => {
      if (n === 1) setDs(specs, [0x0020, 0x0032], '1e20\\1e20\\1e20');
    });
    assert.ok((await refusals(files)).length > 0);
  });

  it('refuses a tilted stack at PixelSpacing 1e-20 (was: Invalid typed array length)', async () => {
    const files = series([0, 5, 10], (n, specs) => {
      setDs(specs, [0x0028, 0x0030], '1e-20\\1e-20');
      setDs(specs, [0x0020, 0x0032], `${2 * n}\\0\\${5 * n}`);
    });
    assert.ok((await refusals(files)).length > 0);
  });
});

function mosaic(imageType: string, extra: ReturnType<typeof ctSliceElements>): InputFile[] {
  return series([0], (_, specs) => {
    specs.push({ tag: [0x0008, 0x0008], vr: 'CS', value: imageType }, ...extra);
  });
}

const SIEMENS = 'ORIGINAL\\PRIMARY\\M\\MOSAIC';
const UIH = 'ORIGINAL\\PRIMARY\\M\\VFRAME';
const NOT_FIT = /^mosaic of .* does not fit in its 16×16 frame/;

describe('fuzz regressions: mosaics whose slice count does not fit', () => {
  it('skips a Siemens mosaic claiming 65535 images in a 16×16 frame (was: call stack overflow)', () => {
    const files = mosaic(SIEMENS, [{ tag: [0x0019, 0x100a], vr: 'US', value: 65535 }]);
    const catalog = catalogFromFiles(files);
    assert.equal(catalog.entries.length, 0);
    assert.equal(catalog.skipped[0]?.name, 'slice-1.dcm');
    assert.match(catalog.skipped[0]!.reason, NOT_FIT);
  });

  it('skips a UIH mosaic claiming a million 4×4 tiles, or 2.5 of them', async () => {
    for (const count of ['1000000', '2.5']) {
      const why = await refusals(
        mosaic(UIH, [
          { tag: [0x0065, 0x1050], vr: 'DS', value: count },
          { tag: [0x0065, 0x1004], vr: 'SH', value: '4*4' },
        ]),
      );
      assert.equal(why.length, 1, count);
      assert.match(why[0]!, NOT_FIT, count);
    }
  });

  it('still reads mosaics that fit: 4 Siemens tiles, 16 UIH tiles', async () => {
    const siemens = catalogFromFiles(
      mosaic(SIEMENS, [{ tag: [0x0019, 0x100a], vr: 'US', value: 4 }]),
    );
    assert.deepEqual((await siemens.entries[0]!.load()).volumes[0]!.geometry.shape, [8, 8, 4]);
    const uih = catalogFromFiles(
      mosaic(UIH, [
        { tag: [0x0065, 0x1050], vr: 'DS', value: '16' },
        { tag: [0x0065, 0x1004], vr: 'SH', value: '4*4' },
      ]),
    );
    assert.deepEqual((await uih.entries[0]!.load()).volumes[0]!.geometry.shape, [4, 4, 16]);
  });
});
