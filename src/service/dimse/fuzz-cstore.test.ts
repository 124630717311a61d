/**
 * Issue 22 through the C-STORE receiver: DICOM fuzz mutants of the shared data (seed 24), each
 * sent as one C-STORE data set (the file without its Part-10 header, declared explicit VR little
 * endian). Every request gets an answer (success, or 0xC000 for what cannot be parsed), the SCP
 * keeps answering C-ECHO, and every study it stores finishes analysed or not-analysed, never
 * failed. Skipped without the shared data.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { planCase } from '../../fuzz/case-plan.js';
import { makeMutant } from '../../fuzz/make-mutant.js';
import { selectSeedFiles } from '../../fuzz/seed-files.js';
import { packageRoot } from '../../io/data-root.js';
import { type TestService, startTestService } from '../test-fixtures.js';
import { runCommand } from './dimse-test-helpers.js';
import { Client, Dataset, requests } from './dimse-lib.js';

const dataRoot =
  process.env.NEUROTRIAGE_SHARED_DATA ?? resolve(packageRoot(), '..', 'shared', 'data');
const skip = existsSync(dataRoot) ? false : 'the shared data (../shared/data) is missing';
const AE = 'NEUROTRIAGE';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';

/** The data set of a Part-10 file: what follows the meta group (the whole bytes without one). */
function dataSetOf(file: Uint8Array): Uint8Array {
  const magic = new TextDecoder().decode(file.subarray(128, 132));
  if (magic !== 'DICM' || file.length < 144) return file;
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const end = 132 + 12 + view.getUint32(140, true);
  return end <= file.length ? file.subarray(end) : file.subarray(132);
}

/** Sends `bytes` as one C-STORE data set; resolves the DIMSE status (−1: no answer). */
function cStore(port: number, bytes: Uint8Array): Promise<number> {
  class Raw extends Dataset {
    override getDenaturalizedDataset(): Buffer {
      return Buffer.from(bytes);
    }
  }
  const dataset = new Raw(
    { SOPClassUID: '1.2.840.10008.5.1.4.1.1.2', SOPInstanceUID: '1.2.826.0.1.3680043.8.498.24' },
    EXPLICIT_LE,
  );
  return new Promise<number>((done, fail) => {
    const client = new Client();
    const request = new requests.CStoreRequest(dataset);
    let status = -1;
    request.on('response', (r: { getStatus(): number }) => (status = r.getStatus()));
    client.addRequest(request);
    client.on('networkError', fail);
    client.on('closed', () => done(status));
    client.send('127.0.0.1', port, 'MODALITY', AE);
  });
}

describe('C-STORE of fuzz mutants', { skip }, () => {
  let t: TestService;
  before(async () => {
    t = await startTestService({
      dicom: { aeTitle: AE, port: 0, allowedCallers: [], settleMs: 500 },
    });
  });
  after(async () => {
    await t.service.close();
    rmSync(t.dataDir, { recursive: true, force: true });
  });

  it(
    'answers each of 20 mutants, keeps answering C-ECHO, and stores nothing that fails',
    {
      timeout: 600_000,
    },
    async () => {
      const seeds = selectSeedFiles(dataRoot);
      const bytesOf = (n: number): Uint8Array =>
        new Uint8Array(readFileSync(join(dataRoot, seeds[n]!.relativePath)));
      const port = t.service.dicomPort!;
      const statuses: number[] = [];
      for (let index = 0; statuses.length < 20 && index < 400; index++) {
        const plan = planCase(seeds, 24, index);
        if (!plan.kind.startsWith('dicom')) continue;
        const file = makeMutant(plan, { seeds, bytesOf }).files[0];
        // An empty data set cannot be framed as a C-STORE (no P-DATA fragment is ever sent).
        if (!file || dataSetOf(file.bytes).length === 0) continue;
        const status = await cStore(port, dataSetOf(file.bytes));
        assert.ok(
          status === 0 || status === 0xc000,
          `case ${index} ${plan.mutation}: status ${status}`,
        );
        statuses.push(status);
      }
      assert.ok(statuses.includes(0xc000), 'some mutants were refused');
      const echo = await runCommand('echoscu', [
        '-aet',
        'MODALITY',
        '-aec',
        AE,
        '127.0.0.1',
        String(port),
      ]);
      assert.equal(echo.code, 0, echo.output);
      await new Promise((done) => setTimeout(done, 1500)); // the settle time
      const end = Date.now() + 300_000;
      const worklist = async () => {
        const r = await fetch(`${t.url}/worklist`, { headers: t.auth });
        return ((await r.json()) as { studies: { status: string }[] }).studies;
      };
      let studies = await worklist();
      while (studies.some((s) => ['received', 'queued', 'running'].includes(s.status))) {
        assert.ok(Date.now() < end, 'studies still pending after 5 minutes');
        await new Promise((done) => setTimeout(done, 500));
        studies = await worklist();
      }
      assert.deepEqual(
        studies.filter((s) => s.status === 'failed'),
        [],
        'no study ends failed',
      );
    },
  );
});
