/**
 * The service's SQLite file (`DIR/neurotriage.sqlite`), opened with `libsql` (a maintained
 * SQLite binding with the better-sqlite3 API whose native binaries come as npm packages, so
 * `npm ci` installs it offline with nothing to compile). WAL journal, full sync, foreign keys.
 * The schema is versioned by `PRAGMA user_version`: `MIGRATIONS[n]` takes version n to n + 1,
 * each in one transaction; a file newer than this code is refused.
 */
import Database from 'libsql';
import { UserInputError } from '../core/errors.js';

export type Db = Database.Database;

/** Each entry moves the schema one version up. Append only; never edit a shipped migration. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE studies (
     id TEXT PRIMARY KEY,
     content_key TEXT NOT NULL UNIQUE,
     received_at TEXT NOT NULL,
     source TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN
       ('received', 'queued', 'running', 'done', 'not-analysed', 'failed')),
     reason TEXT,
     priority INTEGER NOT NULL,
     task TEXT,
     positive INTEGER,
     score REAL,
     total_lesion_ml REAL,
     summary TEXT,
     file_count INTEGER NOT NULL,
     byte_count INTEGER NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX studies_worklist ON studies (priority, received_at);
   CREATE TABLE jobs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     study_id TEXT NOT NULL REFERENCES studies (id),
     job_key TEXT NOT NULL UNIQUE,
     state TEXT NOT NULL CHECK (state IN
       ('queued', 'running', 'done', 'not-analysed', 'failed')),
     attempts INTEGER NOT NULL DEFAULT 0,
     enqueued_at TEXT NOT NULL,
     started_at TEXT,
     finished_at TEXT,
     duration_ms REAL
   );
   CREATE INDEX jobs_state ON jobs (state);
   CREATE TABLE tokens (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     sha256 TEXT NOT NULL UNIQUE,
     created_at TEXT NOT NULL,
     revoked_at TEXT
   );
   CREATE TABLE audit_log (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     token_id TEXT NOT NULL,
     method TEXT NOT NULL,
     route TEXT NOT NULL,
     study_id TEXT,
     status_code INTEGER
   );
   CREATE INDEX audit_study ON audit_log (study_id);`,
  // 1 → 2: results pushed by C-STORE to DICOM destinations (dimse/push-results.ts).
  `CREATE TABLE pushes (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     study_id TEXT NOT NULL REFERENCES studies (id),
     destination TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
     attempts INTEGER NOT NULL DEFAULT 0,
     file_count INTEGER NOT NULL,
     last_error TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     UNIQUE (study_id, destination)
   );
   CREATE INDEX pushes_state ON pushes (state);`,
  // 2 → 3: DICOMweb (dicomweb/instance-index.ts): the stored DICOM instances of each study, input and
  // result, and which parts of a study have been indexed.
  `CREATE TABLE dicom_instances (
     study_id TEXT NOT NULL REFERENCES studies (id),
     part TEXT NOT NULL CHECK (part IN ('input', 'result')),
     file TEXT NOT NULL,
     study_uid TEXT NOT NULL,
     series_uid TEXT NOT NULL,
     sop_uid TEXT NOT NULL,
     sop_class_uid TEXT NOT NULL,
     transfer_syntax TEXT NOT NULL,
     modality TEXT,
     series_number INTEGER,
     series_description TEXT,
     instance_number INTEGER,
     study_date TEXT,
     study_time TEXT,
     study_description TEXT,
     accession_number TEXT,
     patient_id TEXT,
     patient_name TEXT,
     PRIMARY KEY (study_id, part, file)
   );
   CREATE INDEX dicom_instances_uids ON dicom_instances (study_uid, series_uid, sop_uid);
   CREATE INDEX dicom_instances_sop ON dicom_instances (sop_uid);
   CREATE TABLE dicom_indexed (
     study_id TEXT NOT NULL REFERENCES studies (id),
     part TEXT NOT NULL CHECK (part IN ('input', 'result')),
     PRIMARY KEY (study_id, part)
   );`,
  // 3 → 4: reviews of a study's result (review-store.ts): decisions and edited masks, numbered
  // per study (version 1, 2, …); the files of a mask edit under studies/<id>/reviews/<version>/.
  `CREATE TABLE reviews (
     study_id TEXT NOT NULL REFERENCES studies (id),
     version INTEGER NOT NULL CHECK (version >= 1),
     kind TEXT NOT NULL CHECK (kind IN ('decision', 'mask')),
     decision TEXT CHECK (decision IN ('accept', 'reject')),
     note TEXT,
     token_id TEXT NOT NULL,
     reviewer TEXT NOT NULL,
     reviewed_at TEXT NOT NULL,
     files TEXT NOT NULL DEFAULT '[]',
     volumes_ml TEXT,
     PRIMARY KEY (study_id, version),
     CHECK ((kind = 'decision') = (decision IS NOT NULL))
   );`,
  // 4 → 5: the worklist shows the model and where the finding is (viewer).
  `ALTER TABLE studies ADD COLUMN model TEXT;
   ALTER TABLE studies ADD COLUMN location TEXT;`,
  // 5 → 6: the alerts' outbox (alert-outbox.ts): one row per delivery of an event (webhook or
  // FHIR POST) to one endpoint, retried with back-off until delivered or failed.
  `CREATE TABLE alert_deliveries (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     study_id TEXT REFERENCES studies (id),
     endpoint TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('webhook', 'fhir')),
     event TEXT NOT NULL,
     body TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at TEXT NOT NULL,
     last_error TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX alert_deliveries_state ON alert_deliveries (state);
   CREATE INDEX alert_deliveries_study ON alert_deliveries (study_id, event);`,
  // 6 → 7: results made in shadow mode (`serve --shadow`: recorded, never pushed nor alerted).
  `ALTER TABLE studies ADD COLUMN shadow INTEGER NOT NULL DEFAULT 0;`,
  // 7 → 8: installed model versions (model-registry.ts): each activation and rollback of a task's
  // version, who and when; the active version is the top of the replayed history.
  `CREATE TABLE model_activations (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     task TEXT NOT NULL,
     version TEXT NOT NULL,
     action TEXT NOT NULL CHECK (action IN ('activate', 'rollback')),
     by_user TEXT NOT NULL,
     at TEXT NOT NULL
   );
   CREATE INDEX model_activations_task ON model_activations (task, id);`,
  // 8 → 9: the scanner a study came from (monitoring.ts), read once from its stored DICOM input:
  // JSON { manufacturer, model, station } (null fields: not in the data); NULL: not read yet.
  `ALTER TABLE studies ADD COLUMN scanner TEXT;`,
  // 9 → 10: the triage state (issue 25): positive, negative or not assessable (a study that could
  // not be judged, never negative); results before it are backfilled from \`positive\`. The
  // worklist ranks not assessable next to positive (study-status.ts), so the ranks below move
  // down one: no result 1 → 2, pending 2 → 3, negative 3 → 4.
  `ALTER TABLE studies ADD COLUMN triage_state TEXT
     CHECK (triage_state IN ('positive', 'negative', 'not assessable'));
   UPDATE studies SET triage_state = CASE WHEN positive = 1 THEN 'positive' ELSE 'negative' END
     WHERE task IS NOT NULL;
   UPDATE studies SET priority = priority + 1 WHERE priority >= 1;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function openDatabase(path: string): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version?: unknown } | undefined;
  const version = Number(row?.user_version);
  if (!Number.isInteger(version)) throw new Error('cannot read the schema version');
  return version;
}

function migrate(db: Db): void {
  const from = schemaVersion(db);
  if (from > SCHEMA_VERSION)
    throw new UserInputError(
      `the service database has schema version ${from}, newer than this neurotriage (${SCHEMA_VERSION}); use a newer release`,
      'schema-too-new',
    );
  for (let v = from; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
