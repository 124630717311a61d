/**
 * A study's C-STORE instances while it settles, kept so that a crash loses none that the sender
 * was told were stored: `DIR/settling/<our id>/` holds `settling.json` (the StudyInstanceUID as
 * the study key, and the source), written atomically before the first instance, and the
 * instances `0001`, `0002`, …, each written to a temporary name, synced, and renamed before it is
 * acknowledged. So a file under a final name is always complete.
 *
 * At start, `readSettlingFolders` reads every such folder back: temporary files (a write cut off
 * mid-file, never acknowledged) are removed; a folder without a readable `settling.json` or
 * without instances is removed; every other folder is returned as a complete study to hand over.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ArtefactStore,
  SETTLING_MANIFEST,
  syncDir,
  writeFileAtomic,
} from '../artefact-store.js';
import type { StagedFile } from '../study-intake.js';

export interface SettlingManifest {
  /** The StudyInstanceUID (the intake's study key). */
  readonly studyKey: string;
  /** Who sent it, e.g. `dicom:MODALITY`. */
  readonly source: string;
}

export interface SettlingStudy {
  readonly dir: string;
  readonly manifest: SettlingManifest;
  readonly files: readonly StagedFile[];
}

/** Stored instance names: the service's counter (input-names.ts), no extension. */
const INSTANCE_NAME = /^\d{4,}$/;

/** A new settling folder, its manifest already on disk. */
export function createSettlingFolder(artefacts: ArtefactStore, manifest: SettlingManifest): string {
  const dir = artefacts.newSettling();
  try {
    writeFileAtomic(join(dir, SETTLING_MANIFEST), `${JSON.stringify(manifest)}\n`);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  syncDir(dir);
  return dir;
}

/** Writes one instance so that it is either absent or complete, and durable on return. */
export function writeInstanceDurably(
  dir: string,
  storedName: string,
  bytes: Uint8Array,
): StagedFile {
  writeFileAtomic(join(dir, storedName), bytes);
  syncDir(dir);
  return { storedName, sizeBytes: bytes.length, sha256: sha256Hex(bytes) };
}

/** Reads every settling folder back (see the file comment); removes what cannot be one. */
export function readSettlingFolders(artefacts: ArtefactStore): {
  readonly studies: SettlingStudy[];
  readonly removed: number;
} {
  const studies: SettlingStudy[] = [];
  let removed = 0;
  for (const dir of artefacts.settlingDirs()) {
    const manifest = readManifest(dir);
    const names = readdirSync(dir);
    for (const name of names)
      if (name.startsWith('.tmp-')) rmSync(join(dir, name), { force: true });
    const files = names
      .filter((name) => INSTANCE_NAME.test(name))
      .sort()
      .map((storedName) => {
        const bytes = readFileSync(join(dir, storedName));
        return { storedName, sizeBytes: bytes.length, sha256: sha256Hex(bytes) };
      });
    if (!manifest || files.length === 0) {
      rmSync(dir, { recursive: true, force: true });
      removed++;
    } else studies.push({ dir, manifest, files });
  }
  return { studies, removed };
}

function readManifest(dir: string): SettlingManifest | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, SETTLING_MANIFEST), 'utf8')) as unknown;
    if (typeof m !== 'object' || m === null) return undefined;
    const { studyKey, source } = m as Record<string, unknown>;
    if (typeof studyKey !== 'string' || studyKey === '' || typeof source !== 'string')
      return undefined;
    return { studyKey, source };
  } catch {
    return undefined;
  }
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
