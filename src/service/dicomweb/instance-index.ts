/**
 * The index of stored DICOM instances behind QIDO-RS and WADO-RS: one row per instance (its
 * UIDs, modality, series number and description, the study-level attributes QIDO answers with,
 * and where the file lies: the study's `input` or `result` folder and the stored name).
 *
 * Filled from the stored files, lazily and once: before every DICOMweb read, `refresh()` indexes
 * the input of each study not indexed yet, and the result of each study that is `done` and not
 * indexed yet (`dicom_indexed` remembers both, so a NIfTI study is read once, not at every
 * query). STOW-RS indexes its study at once. So every way a study comes in (HTTP upload,
 * STOW-RS, a C-STORE SCP) and every result (SEG, SR, key images) is indexed without a hook in the
 * intake or in the analysis workers, and a data folder from before this table is indexed at its
 * first query. Files inside uploaded zips are not indexed (they are not stored as instances).
 *
 * The same SOPInstanceUID stored twice (the same instance in two received studies) counts once:
 * the latest row wins.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DICOM_FILE_NAMES } from '../../report/dicom-outputs.js';
import { str } from '../../io/dicom/dataset-values.js';
import { looksLikeDicom, parseDicom, transferSyntaxOf } from '../../io/dicom/parse-dicom.js';
import type { DataSet } from '../../io/dicom/parse-dicom.js';
import type { InputManifest } from '../analyse-stored-study.js';
import { type ArtefactStore, INPUT_MANIFEST } from '../artefact-store.js';
import type { Db } from '../database.js';

export type StoredPart = 'input' | 'result';

export interface IndexedInstance {
  readonly studyId: string;
  readonly part: StoredPart;
  readonly file: string;
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly sopUid: string;
  readonly sopClassUid: string;
  readonly transferSyntax: string;
  readonly modality: string | null;
  readonly seriesNumber: number | null;
  readonly seriesDescription: string | null;
  readonly instanceNumber: number | null;
  readonly studyDate: string | null;
  readonly studyTime: string | null;
  readonly studyDescription: string | null;
  readonly accessionNumber: string | null;
  readonly patientId: string | null;
  readonly patientName: string | null;
}

/** The identifying attributes of one instance, or undefined when it lacks its UIDs. */
export function instanceAttributes(
  ds: DataSet,
): Omit<IndexedInstance, 'studyId' | 'part' | 'file'> | undefined {
  const studyUid = uid(ds, 'x0020000d');
  const seriesUid = uid(ds, 'x0020000e');
  const sopUid = uid(ds, 'x00080018') ?? uid(ds, 'x00020003');
  const sopClassUid = uid(ds, 'x00080016') ?? uid(ds, 'x00020002');
  if (!studyUid || !seriesUid || !sopUid || !sopClassUid) return undefined;
  const integer = (t: string) => {
    const n = Number.parseInt(str(ds, t) ?? '', 10);
    return Number.isFinite(n) ? n : null;
  };
  return {
    studyUid,
    seriesUid,
    sopUid,
    sopClassUid,
    transferSyntax: transferSyntaxOf(ds),
    modality: str(ds, 'x00080060') ?? null,
    seriesNumber: integer('x00200011'),
    seriesDescription: str(ds, 'x0008103e') ?? null,
    instanceNumber: integer('x00200013'),
    studyDate: str(ds, 'x00080020') ?? null,
    studyTime: str(ds, 'x00080030') ?? null,
    studyDescription: str(ds, 'x00081030') ?? null,
    accessionNumber: str(ds, 'x00080050') ?? null,
    patientId: str(ds, 'x00100020') ?? null,
    patientName: str(ds, 'x00100010') ?? null,
  };
}

function uid(ds: DataSet, t: string): string | undefined {
  const v = str(ds, t)?.replace(/\0/g, '').trim();
  return v && /^[0-9.]{1,64}$/.test(v) ? v : undefined;
}

const COLUMNS = [
  'study_id',
  'part',
  'file',
  'study_uid',
  'series_uid',
  'sop_uid',
  'sop_class_uid',
  'transfer_syntax',
  'modality',
  'series_number',
  'series_description',
  'instance_number',
  'study_date',
  'study_time',
  'study_description',
  'accession_number',
  'patient_id',
  'patient_name',
] as const;

/** The latest row of each SOPInstanceUID (a subquery for FROM; `seq`: the order of indexing). */
export const LATEST_INSTANCES = `(SELECT rowid AS seq, * FROM dicom_instances WHERE rowid IN
  (SELECT MAX(rowid) FROM dicom_instances GROUP BY sop_uid))`;

type Row = Record<string, unknown>;

export function toInstance(r: Row): IndexedInstance {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const int = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    studyId: String(r.study_id),
    part: String(r.part) as StoredPart,
    file: String(r.file),
    studyUid: String(r.study_uid),
    seriesUid: String(r.series_uid),
    sopUid: String(r.sop_uid),
    sopClassUid: String(r.sop_class_uid),
    transferSyntax: String(r.transfer_syntax),
    modality: text(r.modality),
    seriesNumber: int(r.series_number),
    seriesDescription: text(r.series_description),
    instanceNumber: int(r.instance_number),
    studyDate: text(r.study_date),
    studyTime: text(r.study_time),
    studyDescription: text(r.study_description),
    accessionNumber: text(r.accession_number),
    patientId: text(r.patient_id),
    patientName: text(r.patient_name),
  };
}

export interface InstanceIndexOptions {
  readonly db: Db;
  readonly artefacts: ArtefactStore;
}

export class InstanceIndex {
  constructor(private readonly options: InstanceIndexOptions) {}

  get db(): Db {
    return this.options.db;
  }

  /** Indexes every study part not indexed yet (see the file comment). */
  refresh(): void {
    const pending = this.db
      .prepare(
        `SELECT * FROM (SELECT s.id, s.status,
           EXISTS (SELECT 1 FROM dicom_indexed x WHERE x.study_id = s.id AND x.part = 'input') AS has_input,
           EXISTS (SELECT 1 FROM dicom_indexed x WHERE x.study_id = s.id AND x.part = 'result') AS has_result
         FROM studies s)
         WHERE NOT has_input OR (status = 'done' AND NOT has_result)`,
      )
      .all() as Row[];
    for (const r of pending) {
      const id = String(r.id);
      if (!Number(r.has_input)) this.indexPart(id, 'input');
      if (String(r.status) === 'done' && !Number(r.has_result)) this.indexPart(id, 'result');
    }
  }

  /** Reads the DICOM files of one part of a study and records them (replacing older rows). */
  indexPart(studyId: string, part: StoredPart): void {
    const { artefacts } = this.options;
    const dir = part === 'input' ? artefacts.inputDir(studyId) : artefacts.resultDir(studyId);
    const rows: IndexedInstance[] = [];
    for (const file of candidateFiles(dir, part)) {
      const attributes = readAttributes(join(dir, file));
      if (attributes) rows.push({ studyId, part, file, ...attributes });
    }
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO dicom_instances (${COLUMNS.join(', ')})
       VALUES (${COLUMNS.map(() => '?').join(', ')})`,
    );
    this.db
      .transaction(() => {
        this.db
          .prepare('DELETE FROM dicom_instances WHERE study_id = ? AND part = ?')
          .run(studyId, part);
        for (const i of rows)
          insert.run(
            i.studyId,
            i.part,
            i.file,
            i.studyUid,
            i.seriesUid,
            i.sopUid,
            i.sopClassUid,
            i.transferSyntax,
            i.modality,
            i.seriesNumber,
            i.seriesDescription,
            i.instanceNumber,
            i.studyDate,
            i.studyTime,
            i.studyDescription,
            i.accessionNumber,
            i.patientId,
            i.patientName,
          );
        this.db
          .prepare('INSERT OR IGNORE INTO dicom_indexed (study_id, part) VALUES (?, ?)')
          .run(studyId, part);
      })
      .immediate();
  }

  /** Where an instance's file lies. */
  pathOf(instance: IndexedInstance): string {
    const { artefacts } = this.options;
    const dir =
      instance.part === 'input'
        ? artefacts.inputDir(instance.studyId)
        : artefacts.resultDir(instance.studyId);
    return join(dir, instance.file);
  }

  /** The instances of a study, a series or one instance, in series then instance order. */
  instances(filter: { studyUid: string; seriesUid?: string; sopUid?: string }): IndexedInstance[] {
    const where = ['study_uid = ?'];
    const params: string[] = [filter.studyUid];
    if (filter.seriesUid !== undefined) {
      where.push('series_uid = ?');
      params.push(filter.seriesUid);
    }
    if (filter.sopUid !== undefined) {
      where.push('sop_uid = ?');
      params.push(filter.sopUid);
    }
    const rows = this.db
      .prepare(
        `SELECT * FROM ${LATEST_INSTANCES} WHERE ${where.join(' AND ')}
         ORDER BY series_number IS NULL, series_number, series_uid,
           instance_number IS NULL, instance_number, seq`,
      )
      .all(...params) as Row[];
    return rows.map(toInstance);
  }
}

/** Input: the manifest's extensionless names (DICOM or other); result: the DICOM outputs. */
function candidateFiles(dir: string, part: StoredPart): string[] {
  if (!existsSync(dir)) return [];
  if (part === 'result')
    return Object.values(DICOM_FILE_NAMES).filter((name) => existsSync(join(dir, name)));
  const manifestPath = join(dir, INPUT_MANIFEST);
  if (!existsSync(manifestPath)) return [];
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as InputManifest;
  return manifest.files.filter((name) => /^\d+$/.test(name));
}

function readAttributes(path: string): ReturnType<typeof instanceAttributes> {
  try {
    const bytes = new Uint8Array(readFileSync(path));
    if (!looksLikeDicom(bytes)) return undefined;
    return instanceAttributes(parseDicom(bytes, { untilTag: 'x7fe00010' }));
  } catch {
    return undefined; // not DICOM, or unreadable: not an instance
  }
}
