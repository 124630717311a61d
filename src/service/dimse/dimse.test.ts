/**
 * The service's DICOM side driven for real with dcmtk: the C-STORE SCP on a free port of
 * 127.0.0.1 (allow-list MODALITY), `echoscu` and `storescu` as the modality, `storescp` as the
 * archive the results are pushed to. A small CT series sent by storescu settles into one study
 * that is analysed (done, positive); its SEG and SR reach the archive and parse with dcmdump; a
 * push to a port where nothing listens ends `failed` after its retries; an SR-only study ends
 * not-analysed with a reason; a caller not on the allow-list or a wrong called AE title is
 * refused; a data set that cannot be parsed gets 0xC000 and the service keeps serving; an
 * instance arriving after its study settled makes a second study whose source names the first.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeDicom } from '../../io/dicom/write-dicom.js';
import {
  type StudyJson,
  type TestService,
  smallHeadCtDicom,
  startTestService,
  waitFinished,
} from '../test-fixtures.js';
import {
  type Archive,
  freePort,
  removeTempFiles,
  runCommand,
  startArchive,
  waitFor,
  writeTempFiles,
} from './dimse-test-helpers.js';
import { Client, Dataset, requests } from './dimse-lib.js';

const AE = 'NEUROTRIAGE';

describe('DICOM networking: C-STORE SCP, C-ECHO, result push', () => {
  let t: TestService;
  let archive: Archive;
  let port: string;
  let nowherePort: number;
  let positive: StudyJson;
  let log = '';

  const worklist = async (): Promise<StudyJson[]> => {
    const r = await fetch(`${t.url}/worklist`, { headers: t.auth });
    return ((await r.json()) as { studies: StudyJson[] }).studies;
  };
  const nextStudy = async (known: ReadonlySet<string>): Promise<StudyJson> => {
    let found: StudyJson | undefined;
    await waitFor(
      async () => (found = (await worklist()).find((s) => !known.has(s.id))) !== undefined,
      20_000,
      'a new study in the worklist',
    );
    return found!;
  };
  const storescu = (callingAe: string, paths: readonly string[]) =>
    runCommand('storescu', ['-aet', callingAe, '-aec', AE, '127.0.0.1', port, ...paths]);

  before(async () => {
    archive = await startArchive();
    nowherePort = await freePort();
    const { Writable } = await import('node:stream');
    t = await startTestService({
      logger: {
        level: 'info',
        stream: new Writable({
          write(chunk: Buffer, _encoding, done) {
            log += chunk.toString();
            done();
          },
        }),
      },
      dicom: {
        aeTitle: AE,
        port: 0,
        allowedCallers: ['MODALITY'],
        settleMs: 1000,
        push: [
          { aeTitle: archive.aeTitle, host: '127.0.0.1', port: archive.port },
          { aeTitle: 'NOWHERE', host: '127.0.0.1', port: nowherePort },
        ],
        pushMaxAttempts: 2,
        pushRetryBaseMs: 200,
      },
    });
    port = String(t.service.dicomPort);
  });
  after(async () => {
    await t.service.close();
    archive.stop();
    rmSync(t.dataDir, { recursive: true, force: true });
    rmSync(archive.dir, { recursive: true, force: true });
    removeTempFiles();
  });

  it('answers C-ECHO (echoscu) from an allowed calling AE title', async () => {
    const r = await runCommand('echoscu', ['-aet', 'MODALITY', '-aec', AE, '127.0.0.1', port]);
    assert.equal(r.code, 0, r.output);
  });

  it('refuses a calling AE title not on the allow-list, and a wrong called AE title', async () => {
    const echo = await runCommand('echoscu', ['-aet', 'INTRUDER', '-aec', AE, '127.0.0.1', port]);
    assert.notEqual(echo.code, 0);
    assert.match(echo.output, /Calling AE Title Not Recognized/i);
    const store = await storescu('INTRUDER', writeTempFiles(smallHeadCtDicom('intruder')));
    assert.notEqual(store.code, 0);
    const called = await runCommand('echoscu', [
      '-aet',
      'MODALITY',
      '-aec',
      'OTHER',
      '127.0.0.1',
      port,
    ]);
    assert.notEqual(called.code, 0);
    assert.match(called.output, /Called AE Title Not Recognized/i);
    assert.deepEqual(await worklist(), [], 'nothing was received');
  });

  it('receives a CT series from storescu as one study and analyses it (done, positive)', async () => {
    const paths = writeTempFiles(smallHeadCtDicom('dimse-ct'));
    const r = await storescu('MODALITY', paths);
    assert.equal(r.code, 0, r.output);
    const study = await nextStudy(new Set());
    positive = await waitFinished(t, study.id);
    assert.equal(positive.status, 'done', positive.reason ?? '');
    assert.equal(positive.result?.task, 'ich');
    assert.equal(positive.result?.positive, true);
    assert.equal((positive as StudyJson & { files: number }).files, paths.length);
    const stored = readdirSync(t.service.artefacts.inputDir(positive.id)).sort();
    assert.equal(stored[0], '0001', 'stored under our own names, not the UIDs');
    assert.ok(positive.links.outputs?.['segmentation.dcm']);
  });

  it('pushes the SEG and SR to storescp; a destination that is down ends failed after retries', async () => {
    await waitFor(
      () => t.service.pushes.forStudy(positive.id).every((p) => p.state !== 'pending'),
      30_000,
      'the pushes to finish',
    );
    const rows = t.service.pushes.forStudy(positive.id);
    const ok = rows.find((p) => p.destination.startsWith(`${archive.aeTitle}@`));
    const down = rows.find((p) => p.destination.startsWith('NOWHERE@'));
    assert.equal(ok?.state, 'done', ok?.lastError ?? '');
    assert.equal(ok?.attempts, 1);
    assert.equal(down?.state, 'failed');
    assert.equal(down?.attempts, 2);
    assert.ok(down?.lastError);
    const received = readdirSync(archive.dir);
    assert.equal(received.length, ok?.fileCount);
    const modalities: string[] = [];
    for (const name of received) {
      const dump = await runCommand('dcmdump', [join(archive.dir, name)]);
      assert.equal(dump.code, 0, dump.output);
      modalities.push(/\(0008,0060\) CS \[(\w+)\]/.exec(dump.output)?.[1] ?? '');
    }
    assert.ok(modalities.includes('SEG'), modalities.join(','));
    assert.ok(modalities.includes('SR'), modalities.join(','));
  });

  it('ends a study without images (one SR instance) not-analysed with a reason', async () => {
    const r = await storescu('MODALITY', writeTempFiles([srInstance('77.2', '77.1')], 'sr'));
    assert.equal(r.code, 0, r.output);
    const study = await waitFinished(t, (await nextStudy(new Set([positive.id]))).id);
    assert.equal(study.status, 'not-analysed');
    assert.match(study.reason ?? '', /no image series found/);
  });

  it('answers an unparseable data set with 0xC000, stores nothing, and keeps serving', async () => {
    class Garbage extends Dataset {
      override getDenaturalizedDataset(): Buffer {
        return Buffer.from('this is not a DICOM data set\n'.repeat(40));
      }
    }
    const before = (await worklist()).length;
    const dataset = new Garbage(
      { SOPClassUID: '1.2.840.10008.5.1.4.1.1.2', SOPInstanceUID: '1.2.826.0.1.3680043.8.498.78' },
      '1.2.840.10008.1.2.1',
    );
    const status = await new Promise<number>((resolve, reject) => {
      const client = new Client();
      const request = new requests.CStoreRequest(dataset);
      let answer = -1;
      request.on(
        'response',
        (response: { getStatus(): number }) => (answer = response.getStatus()),
      );
      client.addRequest(request);
      client.on('networkError', reject);
      client.on('closed', () => resolve(answer));
      client.send('127.0.0.1', Number(port), 'MODALITY', AE);
    });
    assert.equal(status, 0xc000);
    const echo = await runCommand('echoscu', ['-aet', 'MODALITY', '-aec', AE, '127.0.0.1', port]);
    assert.equal(echo.code, 0, echo.output);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal((await worklist()).length, before, 'no study from the refused instance');
  });

  it('logs AE titles and study ids, never the patient id', () => {
    assert.match(log, /dicom association accepted/);
    assert.match(log, /dicom study received/);
    assert.ok(!log.includes('NT-SERVICE'));
    assert.ok(!readFileSync(join(t.dataDir, 'neurotriage.sqlite')).includes('NT-SERVICE'));
  });

  it('records instances that arrive after their study settled as a late addition', async () => {
    const known = new Set((await worklist()).map((s) => s.id));
    const first = await storescu('MODALITY', writeTempFiles([srInstance('79.2', '79.1')], 'sr'));
    assert.equal(first.code, 0, first.output);
    const study = await nextStudy(known);
    known.add(study.id);
    const late = await storescu('MODALITY', writeTempFiles([srInstance('79.2', '79.4')], 'sr'));
    assert.equal(late.code, 0, late.output);
    const second = await nextStudy(known);
    assert.equal(
      (second as StudyJson & { source: string }).source,
      `dicom:MODALITY late-addition-to ${study.id}`,
    );
    assert.equal((study as StudyJson & { source: string }).source, 'dicom:MODALITY');
    assert.match(log, /dicom instances arrived after their study settled/);
    assert.ok(log.includes(`"lateAdditionTo":"${study.id}"`));
  });
});

/** A one-instance SR (no images) of study `…498.<studySuffix>`, instance `…498.<sopSuffix>`. */
function srInstance(studySuffix: string, sopSuffix: string): Uint8Array {
  const uid = (suffix: string) => `1.2.826.0.1.3680043.8.498.${suffix}`;
  return writeDicom({
    elements: [
      { tag: [0x0008, 0x0016], vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.88.11' },
      { tag: [0x0008, 0x0018], vr: 'UI', value: uid(sopSuffix) },
      { tag: [0x0008, 0x0060], vr: 'CS', value: 'SR' },
      { tag: [0x0010, 0x0020], vr: 'LO', value: 'NT-SERVICE' },
      { tag: [0x0020, 0x000d], vr: 'UI', value: uid(studySuffix) },
      { tag: [0x0020, 0x000e], vr: 'UI', value: uid(`${studySuffix}.3`) },
    ],
  });
}
