/**
 * Secondary Capture writer: the RGB pixels read back byte for byte by our parser and by dcmtk
 * (dcmj2pnm to a PPM), the source study and shown images referenced, and dciodvfy clean.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dciodvfy, dcmdump } from '../../testing/dicom-tools.js';
import { bytesOf, items, str, us } from './dataset-values.js';
import { type SourceFixture, sourceFixture } from './derived-test-fixtures.js';
import { parseDicom } from './parse-dicom.js';
import { randomUid } from './uid.js';
import { writeSecondaryCapture } from './write-secondary-capture.js';

const root = mkdtempSync(join(tmpdir(), 'nt-sc-'));
after(() => rmSync(root, { recursive: true, force: true }));

const WIDTH = 37;
const HEIGHT = 21;
const pixels = Uint8Array.from({ length: WIDTH * HEIGHT * 3 }, (_, n) => (n * 7) % 256);

describe('DICOM Secondary Capture key image', () => {
  let fixture: SourceFixture;
  let bytes: Uint8Array;
  const path = join(root, 'sc.dcm');
  before(async () => {
    fixture = await sourceFixture({ dir: join(root, 'src') });
    bytes = writeSecondaryCapture({
      image: { width: WIDTH, height: HEIGHT, pixels },
      source: fixture.source,
      shownImages: fixture.source.images.slice(2, 4),
      device: {
        manufacturer: 'NeuroTriage',
        modelName: 'ich-ct',
        serialNumber: 'ab12ab12ab12ab12',
        softwareVersions: ['0.1.0', '1.2.0'],
      },
      instance: {
        sopInstanceUid: randomUid(),
        seriesInstanceUid: randomUid(),
        seriesNumber: 9003,
        seriesDescription: 'NeuroTriage key images - research use only',
        createdAt: new Date(2026, 0, 2, 3, 4, 5),
      },
      comments: 'NeuroTriage is for research use only; it is not a medical device.',
      derivationDescription: 'lesion overlay montage',
    });
    writeFileSync(path, bytes);
  });

  it('round-trips the RGB pixels and the references through our parser', () => {
    const ds = parseDicom(bytes);
    assert.equal(str(ds, 'x00080016'), '1.2.840.10008.5.1.4.1.1.7');
    assert.equal(str(ds, 'x00280004'), 'RGB');
    assert.equal(us(ds, 'x00280010'), HEIGHT);
    assert.equal(us(ds, 'x00280011'), WIDTH);
    assert.equal(str(ds, 'x00280301'), 'YES', 'burned-in annotation');
    assert.deepEqual([...bytesOf(ds, 'x7fe00010')!.subarray(0, pixels.length)], [...pixels]);
    assert.equal(str(ds, 'x0020000d'), fixture.source.studyInstanceUid);
    assert.deepEqual(
      items(ds, 'x00082112').map((i) => str(i, 'x00081155')),
      fixture.source.images.slice(2, 4).map((i) => i.sopInstanceUid),
    );
    assert.match(str(ds, 'x00204000') ?? '', /not a medical device/);
  });

  it('dcmtk decodes the same pixels (dcmj2pnm → PPM) and dcmdump reads it', () => {
    const ppm = join(root, 'sc.ppm');
    const r = spawnSync('dcmj2pnm', ['+op', path, ppm], { encoding: 'utf8' });
    assert.equal(r.status, 0, `dcmj2pnm (Debian dcmtk) failed: ${r.stderr}${r.error ?? ''}`);
    const out = readFileSync(ppm);
    const header = `P6\n${WIDTH} ${HEIGHT}\n255\n`;
    assert.equal(out.subarray(0, header.length).toString('latin1'), header);
    assert.deepEqual([...out.subarray(header.length)], [...pixels]);
    assert.match(dcmdump(path), /\(0008,0064\) CS \[WSD\]/);
  });

  it('passes dciodvfy without errors', () => {
    const check = dciodvfy(path);
    assert.deepEqual(check.errors, [], check.output);
  });
});
