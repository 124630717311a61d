/**
 * A full disk, for real: the service's data folder on a small tmpfs (mounted here; needs root,
 * else skipped with the reason), filled with a filler file. While it is full, an HTTP upload and
 * a STOW-RS request answer 507 with one line and leave nothing behind, and C-STORE instances get
 * 0xA700 (Out of Resources); the service stays up (a read, whose audit row cannot be written
 * either, 507) and, with room for the audit rows, the earlier study's report and outputs read
 * back byte-identical. An analysis whose outputs do not fit ends `failed`, naming the full disk,
 * its work folder removed. With the filler gone, the refused upload succeeds.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  ftruncateSync,
  fstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  rmdirSync,
  statfsSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REQUEST_DISK_FULL_MESSAGE, UPLOAD_DISK_FULL_MESSAGE } from './disk-full.js';
import { removeTempFiles, runCommand, writeTempFiles } from './dimse/dimse-test-helpers.js';
import {
  type StudyJson,
  type TestService,
  airCtDicom,
  named,
  smallHeadCtDicom,
  startTestService,
  upload,
  waitFinished,
} from './test-fixtures.js';

const TMPFS_SIZE_MB = 48;
/** Free space for the analysis scenario: the input (~120 KB) and the store's writes fit, the
 * outputs (~900 KB, mostly the key images) do not. */
const ROOM_FOR_INPUT_BYTES = 480 * 1024;
const AE = 'NEUROTRIAGE';

const mountDir = mkdtempSync(join(tmpdir(), 'nt-disk-full-'));
const mount = spawnSync(
  'mount',
  ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE_MB}m`, 'tmpfs', mountDir],
  {
    encoding: 'utf8',
  },
);
const skip =
  mount.status === 0
    ? false
    : `cannot mount a tmpfs (${(mount.stderr || String(mount.error)).split('\n')[0]}); run as root`;
if (mount.status !== 0) rmdirSync(mountDir);

const fillerPath = join(mountDir, 'filler');

/** Writes the filler until the file system refuses (ENOSPC), then gives `leaveBytes` back. */
function fillDisk(leaveBytes = 0): void {
  const fd = openSync(fillerPath, 'w');
  try {
    for (const chunkBytes of [1024 * 1024, 64 * 1024, 4096, 512]) {
      const chunk = Buffer.alloc(chunkBytes, 0x5a);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (e) {
        if ((e as { code?: unknown }).code !== 'ENOSPC') throw e;
      }
    }
    const size = fstatSync(fd).size;
    if (leaveBytes > 0) ftruncateSync(fd, Math.max(0, size - leaveBytes));
  } finally {
    closeSync(fd);
  }
}

function freeBytes(): number {
  const s = statfsSync(mountDir);
  return s.bavail * s.bsize;
}

const entries = (dir: string) => readdirSync(dir).sort();

const STOW_TYPE = 'multipart/related; type="application/dicom"; boundary=full';
function stowBody(files: readonly Uint8Array[]): Buffer {
  const chunks: Uint8Array[] = [];
  for (const bytes of files)
    chunks.push(
      Buffer.from('--full\r\nContent-Type: application/dicom\r\n\r\n'),
      bytes,
      Buffer.from('\r\n'),
    );
  chunks.push(Buffer.from('--full--\r\n'));
  return Buffer.concat(chunks);
}

describe('a full data folder (tmpfs)', { skip }, () => {
  let t: TestService;
  let dataDir = '';
  let first: StudyJson;
  const firstBytes = new Map<string, Buffer>();

  const get = async (path: string) => {
    const r = await fetch(`${t.url}${path}`, { headers: t.auth });
    return { status: r.status, bytes: Buffer.from(await r.arrayBuffer()) };
  };
  const storescu = (paths: readonly string[]) =>
    runCommand('storescu', [
      '-v',
      '-aet',
      'MODALITY',
      '-aec',
      AE,
      '127.0.0.1',
      String(t.service.dicomPort),
      ...paths,
    ]);

  before(async () => {
    dataDir = join(mountDir, 'data');
    mkdirSync(dataDir);
    t = await startTestService({
      dataDir,
      dicom: { aeTitle: AE, port: 0, settleMs: 300 },
    });
    const r = await upload(t, named(smallHeadCtDicom('disk-full-first')));
    assert.equal(r.status, 202);
    first = await waitFinished(t, r.body.id);
    assert.equal(first.status, 'done', first.reason ?? '');
    const names = Object.keys(first.links.outputs ?? {});
    assert.ok(names.includes('report.json') && names.includes('key-images.dcm'), names.join());
    for (const path of [
      `/studies/${first.id}/report`,
      ...names.map((n) => `/studies/${first.id}/outputs/${n}`),
    ]) {
      const got = await get(path);
      assert.equal(got.status, 200, path);
      firstBytes.set(path, got.bytes);
    }
  });

  after(async () => {
    await t?.service.close();
    removeTempFiles();
    if (!skip) {
      // libsql keeps the database's file descriptors open after close(): a lazy unmount then.
      if (spawnSync('umount', [mountDir]).status !== 0) spawnSync('umount', ['-l', mountDir]);
      rmSync(mountDir, { recursive: true, force: true });
    }
  });

  it('refuses an upload, STOW-RS and C-STORE while full: 507 / 0xA700, nothing stored, service up', async () => {
    fillDisk();
    assert.ok(freeBytes() < 4096, `full (${freeBytes()} bytes free)`);

    const http = await upload(t, named(airCtDicom('disk-full-air')));
    assert.equal(http.status, 507);
    assert.equal(http.body.error, UPLOAD_DISK_FULL_MESSAGE);
    assert.match(http.body.error ?? '', /^the data folder is full/);

    const stow = await fetch(`${t.url}/dicomweb/studies`, {
      method: 'POST',
      headers: { ...t.auth, 'content-type': STOW_TYPE, accept: 'application/dicom+json' },
      body: stowBody(smallHeadCtDicom('disk-full-stow')),
    });
    assert.equal(stow.status, 507);
    assert.deepEqual(await stow.json(), { error: UPLOAD_DISK_FULL_MESSAGE });

    const cstore = await storescu(writeTempFiles(smallHeadCtDicom('disk-full-cstore').slice(0, 3)));
    assert.match(cstore.output, /Refused: OutOfResources/, cstore.output);
    assert.doesNotMatch(cstore.output, /Success/i, 'no instance acknowledged');
    await new Promise((resolve) => setTimeout(resolve, 600)); // past the settle time

    assert.deepEqual(entries(join(dataDir, 'staging')), [], 'staging folders removed');
    assert.deepEqual(entries(join(dataDir, 'settling')), [], 'nothing settling');
    assert.deepEqual(entries(join(dataDir, 'studies')), [first.id], 'no study half-stored');
    assert.equal((await fetch(`${t.url}/health`)).status, 200, 'the service is up');
    // A read writes its audit row first: with no room at all for it, the read is refused too.
    const read = await fetch(`${t.url}/studies/${first.id}/report`, { headers: t.auth });
    assert.equal(read.status, 507);
    assert.deepEqual(await read.json(), { error: REQUEST_DISK_FULL_MESSAGE });
  });

  it('with room for the audit rows, reads the earlier report and outputs back byte-identical', async () => {
    fillDisk(ROOM_FOR_INPUT_BYTES);
    for (const [path, bytes] of firstBytes) {
      const got = await get(path);
      assert.equal(got.status, 200, path);
      assert.ok(got.bytes.equals(bytes), `${path} unchanged`);
    }
  });

  it('an analysis whose outputs do not fit ends failed, naming the full disk; work folder removed', async () => {
    fillDisk(ROOM_FOR_INPUT_BYTES);
    const r = await upload(t, named(smallHeadCtDicom('disk-full-analysis')));
    assert.equal(r.status, 202, r.body.error ?? '');
    const study = await waitFinished(t, r.body.id);
    assert.equal(study.status, 'failed');
    assert.match(study.reason ?? '', /data folder is full \(no space left on device\)/);
    assert.deepEqual(entries(join(dataDir, 'work')), [], 'work folder removed');
    assert.deepEqual(entries(join(dataDir, 'studies', study.id)), ['input'], 'no result');
    assert.equal((await get(`/studies/${first.id}/report`)).status, 200, 'the service is up');
  });

  it('with space back, the refused upload and C-STORE succeed', async () => {
    rmSync(fillerPath);
    const again = await upload(t, named(airCtDicom('disk-full-air')));
    assert.equal(again.status, 202, again.body.error ?? '');
    assert.equal(again.body.duplicate, false);
    const study = await waitFinished(t, again.body.id);
    assert.equal(study.status, 'done', study.reason ?? '');
    const cstore = await storescu(writeTempFiles(smallHeadCtDicom('disk-full-cstore').slice(0, 3)));
    assert.equal(cstore.code, 0, cstore.output);
    assert.match(cstore.output, /Store Response \(Success\)/, cstore.output);
    assert.doesNotMatch(cstore.output, /OutOfResources/);
  });
});
