/**
 * The service's store without HTTP or workers: schema migrations and their version, tokens kept
 * as hashes only, worklist priority, the idempotent content key and the names given to
 * received files.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'libsql';
import type { TriageState } from '../pipeline/assessment/triage-state.js';
import { MIGRATIONS, SCHEMA_VERSION, openDatabase, schemaVersion } from './database.js';
import { InputNamer } from './input-names.js';
import { contentKeyOf } from './study-intake.js';
import { StudyStore } from './study-store.js';
import { TokenStore } from './token-store.js';

const root = mkdtempSync(join(tmpdir(), 'nt-service-store-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('service store', () => {
  it('migrates a new file to the current schema version and refuses a newer one', () => {
    const path = join(root, 'a.sqlite');
    const db = openDatabase(path);
    assert.equal(schemaVersion(db), SCHEMA_VERSION);
    db.close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    assert.throws(() => openDatabase(path), /newer than this neurotriage/);
  });

  it('stores tokens as SHA-256 only; a revoked token no longer verifies', () => {
    const path = join(root, 'tokens.sqlite');
    const db = openDatabase(path);
    const tokens = new TokenStore(db);
    const made = tokens.create('ci');
    assert.match(made.token, /^nt_[\w-]{43}$/);
    assert.equal(tokens.verify(made.token), made.id);
    assert.equal(tokens.verify(`${made.token}x`), undefined);
    db.close();
    assert.ok(!readFileSync(path).includes(made.token), 'the token is not in the file');
    const again = new TokenStore(openDatabase(path));
    assert.ok(again.revoke(made.id));
    assert.equal(again.verify(made.token), undefined);
  });

  it('migration 10 backfills the triage state from positive and keeps the worklist order', () => {
    const path = join(root, 'v9.sqlite');
    const raw = new Database(path);
    for (const m of MIGRATIONS.slice(0, 9)) raw.exec(m);
    raw.pragma('user_version = 9');
    const insert = raw.prepare(
      `INSERT INTO studies (id, content_key, received_at, source, status, priority, task, positive,
         score, total_lesion_ml, summary, file_count, byte_count, updated_at)
       VALUES (?, ?, 't', 'test', ?, ?, ?, ?, 0.5, 1, 's', 1, 1, 't')`,
    );
    insert.run('pos', 'k1', 'done', 0, 'ich', 1);
    insert.run('neg', 'k2', 'done', 3, 'ich', 0);
    insert.run('failed', 'k3', 'failed', 1, null, null);
    insert.run('queued', 'k4', 'queued', 2, null, null);
    raw.close();
    const store = new StudyStore(openDatabase(path));
    assert.equal(store.study('pos')?.result?.state, 'positive');
    assert.equal(store.study('neg')?.result?.state, 'negative');
    assert.equal(store.study('failed')?.result, null);
    assert.deepEqual(
      ['pos', 'failed', 'queued', 'neg'].map((id) => store.study(id)?.priority),
      [0, 2, 3, 4],
    );
  });

  it('ranks the worklist: positive, not assessable, no result, pending, negative; then arrival', () => {
    const store = new StudyStore(openDatabase(join(root, 'worklist.sqlite')));
    const add = (n: number) => {
      const id = `00000000-0000-4000-8000-00000000000${n}`;
      const job = store.admitStudy(
        { id, contentKey: `k${n}`, source: 'test', fileCount: 1, byteCount: 1 },
        `k${n}:v`,
      );
      return { id, job: job.id };
    };
    const [neg, pending, pos1, failed, pos2, unjudged] = [1, 2, 3, 4, 5, 6].map(add) as [
      ReturnType<typeof add>,
      ...ReturnType<typeof add>[],
    ];
    const result = (state: TriageState) => ({
      status: 'done' as const,
      result: {
        task: 'ich',
        state,
        positive: state === 'positive',
        score: 0.5,
        totalLesionMl: 1,
        summary: 's',
      },
    });
    store.finishJob(neg.job, result('negative'), 10);
    store.finishJob(pos1!.job, result('positive'), 10);
    store.finishJob(unjudged!.job, result('not assessable'), 10);
    store.finishJob(failed!.job, { status: 'not-analysed', reason: 'no CT' }, 10);
    store.finishJob(pos2!.job, result('positive'), 10);
    assert.deepEqual(
      store.worklist().map((s) => s.id),
      [pos1!.id, pos2!.id, unjudged!.id, failed!.id, pending!.id, neg.id],
    );
    assert.equal(store.study(unjudged!.id)?.result?.state, 'not assessable');
    assert.equal(store.study(unjudged!.id)?.result?.positive, false);
    assert.equal(store.study(failed!.id)?.reason, 'no CT');
    assert.deepEqual(
      store.recoverUnfinished().map((j) => j.studyId),
      [pending!.id],
    );
  });

  it('gives the same content key whatever the order and names of the files', () => {
    const a = { storedName: '0001', sizeBytes: 1, sha256: 'aa' };
    const b = { storedName: '0002', sizeBytes: 1, sha256: 'bb' };
    const key = contentKeyOf([a, b]);
    assert.equal(
      contentKeyOf([
        { ...b, storedName: '0001' },
        { ...a, storedName: '0002' },
      ]),
      key,
    );
    assert.notEqual(contentKeyOf([a, b], '1.2.3'), key);
    assert.notEqual(contentKeyOf([{ ...a, storedName: '0001.nii.gz' }, b]), key);
  });

  it("names received files itself, pairing a NIfTI with its sidecars by the client's stem", () => {
    const namer = new InputNamer();
    assert.deepEqual(
      ['../../etc/passwd', 'DWI.nii.gz', 'dwi.bval', 'a/b/ADC.nii', 'study.ZIP', 'dwi.nii.gz'].map(
        (n) => namer.next(n),
      ),
      ['0001', '0002.nii.gz', '0002.bval', '0003.nii', '0004.zip', '0005.nii.gz'],
    );
  });
});
