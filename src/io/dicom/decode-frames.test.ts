import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FormatError } from '../../core/errors.js';
import { sharedDataPath } from '../../testing/shared-data.js';
import { decodeFrames, type DecodedFrames, type PixelArray } from './decode-frames.js';
import { parseDicom } from './parse-dicom.js';
import './codecs/gdcm-jpeg.js'; // registers GDCM, as the Node file edge does

const decodeFile = async (...parts: string[]): Promise<DecodedFrames> =>
  decodeFrames(parseDicom(new Uint8Array(readFileSync(sharedDataPath('dicom', ...parts)))));
const pydicom = (name: string): Promise<DecodedFrames> => decodeFile('pydicom-test-files', name);

const firstFrame = (d: DecodedFrames): PixelArray => {
  const frame = d.frames[0];
  assert.ok(frame, 'no frame decoded');
  return frame;
};
const at = (d: DecodedFrames, row: number, col: number, frame = 0): number[] => {
  const f = d.frames[frame];
  assert.ok(f);
  const i = (row * d.columns + col) * d.samplesPerPixel;
  return Array.from(f.subarray(i, i + d.samplesPerPixel));
};

describe('decodeFrames: one EPI mosaic in 9 transfer syntaxes (dcm_qa_ts)', () => {
  it('1.dcm (explicit LE) equals dcm2niix Ref/1.nii voxel for voxel, tile by tile', async () => {
    const d = await decodeFile('transfer-syntaxes', 'In', '1.dcm');
    const mosaic = firstFrame(d);
    assert.ok(mosaic instanceof Uint16Array);
    const nii = readFileSync(sharedDataPath('dicom', 'transfer-syntaxes', 'Ref', '1.nii'));
    const header = new DataView(nii.buffer, nii.byteOffset, 348);
    const [nx, ny, nz] = [
      header.getInt16(42, true),
      header.getInt16(44, true),
      header.getInt16(46, true),
    ];
    assert.equal(header.getInt16(70, true), 4, 'Ref/1.nii should be int16');
    const voxOffset = header.getFloat32(108, true);
    const voxels = new Int16Array(
      nii.buffer.slice(nii.byteOffset + voxOffset, nii.byteOffset + voxOffset + nx * ny * nz * 2),
    );
    const tilesPerRow = d.columns / nx;
    let mismatches = 0;
    for (let k = 0; k < nz; k++) {
      const tileRow = Math.floor(k / tilesPerRow);
      const tileCol = k % tilesPerRow;
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          const stored = mosaic[(tileRow * ny + j) * d.columns + tileCol * nx + i];
          // dcm2niix flips rows (DICOM rows run top to bottom, NIfTI j runs bottom to top).
          if (voxels[(k * ny + (ny - 1 - j)) * nx + i] !== stored) mismatches++;
        }
    }
    assert.equal(mismatches, 0);
  });

  for (let n = 2; n <= 9; n++) {
    it(`${n}.dcm decodes to exactly the voxels of 1.dcm`, async () => {
      const reference = firstFrame(await decodeFile('transfer-syntaxes', 'In', '1.dcm'));
      const d = await decodeFile('transfer-syntaxes', 'In', `${n}.dcm`);
      assert.equal(d.frames.length, 1);
      assert.deepEqual([d.rows, d.columns, d.bitsAllocated, d.bitsStored], [384, 384, 16, 12]);
      const frame = firstFrame(d);
      assert.ok(frame instanceof Uint16Array);
      assert.deepEqual(frame, reference);
    });
  }
});

describe('decodeFrames: pydicom test files', () => {
  const mrVariants = [
    'MR_small_RLE',
    'MR_small_bigendian',
    'MR_small_expb',
    'MR_small_implicit',
    'MR_small_jp2klossless',
    'MR_small_jpeg_ls_lossless',
    'MR_small_padded',
  ];

  it('MR_small: signed 16-bit with the values pydicom reports', async () => {
    const d = await pydicom('MR_small.dcm');
    assert.ok(firstFrame(d) instanceof Int16Array);
    assert.equal(d.pixelRepresentation, 1);
    assert.deepEqual([at(d, 0, 31), at(d, 0, 32), at(d, 0, 33)].flat(), [422, 319, 361]);
    assert.deepEqual([at(d, 31, 0), at(d, 31, 1), at(d, 31, 2)].flat(), [366, 363, 322]);
    assert.deepEqual([at(d, 63, 61), at(d, 63, 62), at(d, 63, 63)].flat(), [1369, 1129, 862]);
  });

  for (const name of mrVariants) {
    it(`${name} equals MR_small`, async () => {
      const reference = firstFrame(await pydicom('MR_small.dcm'));
      assert.deepEqual(firstFrame(await pydicom(`${name}.dcm`)), reference);
    });
  }

  it('CT_small: signed 16-bit, first row as pydicom reads it', async () => {
    const d = await pydicom('CT_small.dcm');
    const frame = firstFrame(d);
    assert.ok(frame instanceof Int16Array);
    assert.deepEqual(Array.from(frame.subarray(0, 8)), [175, 180, 166, 143, 139, 152, 167, 187]);
  });

  it('image_dfl.dcm (deflated) decodes to pydicom values', async () => {
    const d = await pydicom('image_dfl.dcm');
    assert.deepEqual(
      Array.from(firstFrame(d).subarray(300 * 512 + 255, 300 * 512 + 263)),
      [138, 65, 65, 65, 65, 35, 35, 35],
    );
    const row10 = Array.from(firstFrame(d).subarray(10 * 512, 11 * 512));
    assert.deepEqual([Math.min(...row10), Math.max(...row10)], [41, 255]);
  });

  for (const name of ['JPGExtended.dcm', 'JPEG-lossy.dcm']) {
    it(`${name} (12-bit lossy JPEG, GDCM) matches pydicom at two pixels`, async () => {
      const d = await pydicom(name);
      assert.equal(d.frames.length, 1);
      assert.ok(firstFrame(d) instanceof Uint16Array);
      // pydicom's pixels_reference: arr[420, 140] == 244, arr[230, 120] == 95 (lossy: allow ±2)
      assert.ok(Math.abs((at(d, 420, 140)[0] ?? NaN) - 244) <= 2, `got ${at(d, 420, 140)}`);
      assert.ok(Math.abs((at(d, 230, 120)[0] ?? NaN) - 95) <= 2, `got ${at(d, 230, 120)}`);
    });
  }

  it('J2K_pixelrep_mismatch: signed 13-bit values sign-extended as pydicom reads them', async () => {
    const d = await pydicom('J2K_pixelrep_mismatch.dcm');
    assert.deepEqual(at(d, 0, 0), [-2000]);
    const column = Array.from({ length: 10 }, (_, i) => at(d, 47 + i, 279)[0]);
    assert.deepEqual(column, [621, 412, 138, -193, -520, -767, -907, -966, -988, -995]);
  });

  // pydicom's reference colour bars: rows 5, 15, 25, 95 of column 50.
  const bars = [
    [5, [255, 0, 0]],
    [15, [255, 128, 128]],
    [25, [0, 255, 0]],
    [95, [255, 255, 255]],
  ] as const;
  const scale = { 8: 1, 16: 257, 32: 16843009 } as const;

  for (const [name, bits, frames] of [
    ['SC_rgb_rle.dcm', 8, 1],
    ['SC_rgb_rle_2frame.dcm', 8, 2],
    ['SC_rgb_rle_16bit.dcm', 16, 1],
    ['SC_rgb_rle_16bit_2frame.dcm', 16, 2],
    ['SC_rgb_rle_32bit.dcm', 32, 1],
    ['SC_rgb_rle_32bit_2frame.dcm', 32, 2],
    ['SC_rgb_dcmtk_+eb+cr.dcm', 8, 1],
    ['SC_rgb_jpeg_gdcm.dcm', 8, 1],
    ['SC_rgb_gdcm_KY.dcm', 8, 1],
  ] as const) {
    it(`${name}: RGB interleaved, colour bars as pydicom reads them`, async () => {
      const d = await pydicom(name);
      assert.equal(d.samplesPerPixel, 3);
      assert.equal(d.frames.length, frames);
      assert.equal(firstFrame(d).length, 100 * 100 * 3);
      for (const [row, rgb] of bars) {
        const expected = rgb.map((v) =>
          v === 128 && bits === 32
            ? 2155905152
            : v === 128 && bits === 16
              ? 32896
              : v * scale[bits],
        );
        assert.deepEqual(at(d, row, 50), expected, `row ${row}`);
      }
      if (frames === 2) {
        // frame 2 is frame 1 inverted
        const max = 255 * scale[bits];
        assert.deepEqual(at(d, 5, 50, 1), [0, max, max]);
      }
    });
  }

  it('SC_rgb_small_odd: 3×3 RGB as pydicom reads it', async () => {
    const d = await pydicom('SC_rgb_small_odd.dcm');
    assert.deepEqual(Array.from(firstFrame(d)), [
      ...[166, 141, 52, 166, 141, 52, 166, 141, 52],
      ...[63, 87, 176, 63, 87, 176, 63, 87, 176],
      ...[158, 158, 158, 158, 158, 158, 158, 158, 158],
    ]);
  });

  it('JPEG baseline YCbCr 4:2:2 comes back as RGB close to the original bars', async () => {
    const d = await pydicom('SC_rgb_dcmtk_+eb+cy+s2.dcm');
    assert.equal(d.photometricInterpretation, 'RGB');
    for (const [row, rgb] of bars) {
      const got = at(d, row, 50);
      got.forEach((v, c) => assert.ok(Math.abs(v - (rgb[c] ?? NaN)) <= 6, `row ${row}: ${got}`));
    }
  });

  it('uncompressed YBR_FULL_422 is expanded to YBR_FULL with pydicom values', async () => {
    const d = await pydicom('SC_ybr_full_422_uncompressed.dcm');
    assert.equal(d.photometricInterpretation, 'YBR_FULL');
    assert.deepEqual(at(d, 5, 50), [76, 85, 255]);
    assert.deepEqual(at(d, 25, 50), [150, 46, 20]);
  });

  it('honours Number of Frames: rtdose (15 frames, 32-bit) native, big endian and RLE agree', async () => {
    const native = await pydicom('rtdose.dcm');
    assert.equal(native.frames.length, 15);
    assert.ok(firstFrame(native) instanceof Uint32Array);
    assert.deepEqual(
      at(native, 0, 0).concat(at(native, 0, 1), at(native, 0, 2)),
      [1249000, 1249000, 1250000],
    );
    assert.deepEqual(
      at(native, 0, 0, 7).concat(at(native, 0, 1, 7), at(native, 0, 2, 7)),
      [1253000, 1253000, 1249000],
    );
    assert.deepEqual((await pydicom('rtdose_expb.dcm')).frames, native.frames);
    assert.deepEqual((await pydicom('rtdose_rle.dcm')).frames, native.frames);
  });

  it('unpacks 1-bit segmentation frames, little and big endian alike', async () => {
    const le = await pydicom('liver_1frame.dcm');
    assert.deepEqual(
      Array.from(firstFrame(le).subarray(155 * 512 + 180, 155 * 512 + 183)),
      [0, 1, 1],
    );
    assert.deepEqual(
      Array.from(firstFrame(le).subarray(254 * 512 + 304, 254 * 512 + 310)),
      [1, 0, 0, 1, 1, 0],
    );
    assert.deepEqual((await pydicom('liver_expb_1frame.dcm')).frames, le.frames);
  });

  it('a file without pixel data, or with an unsupported syntax, gives FormatError', async () => {
    await assert.rejects(
      pydicom('rtplan.dcm'),
      (e: unknown) => e instanceof FormatError && /no pixel data/.test(e.message),
    );
    const ds = parseDicom(
      new Uint8Array(
        readFileSync(sharedDataPath('dicom', 'pydicom-test-files', 'MR_small_RLE.dcm')),
      ),
    );
    const tsElement = ds.elements.x00020010;
    assert.ok(tsElement);
    ds.elements.x00020010 = { ...tsElement, Value: '1.2.840.10008.1.2.4.100' } as typeof tsElement;
    await assert.rejects(
      decodeFrames(ds),
      (e: unknown) => e instanceof FormatError && e.message.includes('1.2.840.10008.1.2.4.100'),
    );
  });
});
