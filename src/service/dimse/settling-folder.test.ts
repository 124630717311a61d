/**
 * Settling folders on disk: what a crash can leave and how the next start reads it back. A
 * folder with its manifest and complete instances is one study to hand over; a temporary
 * (half-written) instance, a folder without a manifest, and a folder without instances are
 * removed; an input that was a settling folder but was never recorded (a crash between the
 * rename and the database) goes back to `settling/` instead of being swept as an orphan.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ArtefactStore, INPUT_MANIFEST } from '../artefact-store.js';
import {
  createSettlingFolder,
  readSettlingFolders,
  writeInstanceDurably,
} from './settling-folder.js';

const root = mkdtempSync(join(tmpdir(), 'nt-settling-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('settling folders', () => {
  it('reads back complete studies and removes what a crash left half-written', () => {
    const artefacts = new ArtefactStore(join(root, 'read'));
    const manifest = { studyKey: '1.2.826.0.1.3680043.8.498.1', source: 'dicom:MODALITY' };
    const dir = createSettlingFolder(artefacts, manifest);
    const a = writeInstanceDurably(dir, '0001', new Uint8Array([1, 2, 3]));
    writeInstanceDurably(dir, '0002', new Uint8Array([4, 5]));
    writeFileSync(join(dir, '.tmp-interrupted'), new Uint8Array(10));
    const noManifest = artefacts.newSettling();
    writeFileSync(join(noManifest, '0001'), new Uint8Array(10));
    createSettlingFolder(artefacts, { ...manifest, studyKey: '1.2.3' });

    const { studies, removed } = readSettlingFolders(artefacts);
    assert.equal(removed, 2, 'no manifest; no instances');
    assert.equal(studies.length, 1);
    assert.equal(studies[0]?.dir, dir);
    assert.deepEqual(studies[0]?.manifest, manifest);
    assert.deepEqual(
      studies[0]?.files.map((f) => f.storedName),
      ['0001', '0002'],
    );
    assert.deepEqual(studies[0]?.files[0], a);
    assert.deepEqual(readdirSync(dir).sort(), ['0001', '0002', 'settling.json']);
    assert.deepEqual(artefacts.settlingDirs(), [dir]);
  });

  it('keeps settling folders at the start-up sweep, and moves an unrecorded one back', () => {
    const artefacts = new ArtefactStore(join(root, 'sweep'));
    const manifest = { studyKey: '1.2.826.0.1.3680043.8.498.2', source: 'dicom:MODALITY' };
    const kept = createSettlingFolder(artefacts, manifest);
    writeInstanceDurably(kept, '0001', new Uint8Array([1]));
    const moved = createSettlingFolder(artefacts, manifest);
    writeInstanceDurably(moved, '0001', new Uint8Array([2]));
    writeFileSync(join(moved, INPUT_MANIFEST), '{"files":["0001"]}\n');
    const orphanId = '00000000-0000-4000-8000-000000000001';
    artefacts.commitInput(moved, orphanId);
    mkdirSync(join(artefacts.root, 'staging', 'upload'));

    const swept = artefacts.sweep(() => false);
    assert.deepEqual(swept, { staging: 1, work: 0, orphans: 1 });
    assert.ok(!existsSync(artefacts.studyDir(orphanId)));
    const dirs = artefacts.settlingDirs();
    assert.equal(dirs.length, 2);
    assert.ok(dirs.includes(kept));
    const { studies } = readSettlingFolders(artefacts);
    assert.deepEqual(
      studies.map((s) => s.files.length),
      [1, 1],
    );
    assert.ok(studies.some((s) => basename(s.dir) !== basename(kept)));
  });
});
