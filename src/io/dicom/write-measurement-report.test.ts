/**
 * DICOM SR (TID 1500) writer: the content tree read back with our parser has the template's
 * structure and values; dcmdump and dcmtk's SR reader (dsrdump) read it; dciodvfy reports no
 * error and warns only about our private coding scheme (99NTRG), which it cannot know.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DataSet } from 'dicom-parser';
import { dciodvfy, dcmdump } from '../../testing/dicom-tools.js';
import { CODES } from './coded-concepts.js';
import { items, str } from './dataset-values.js';
import { type SourceFixture, sourceFixture } from './derived-test-fixtures.js';
import { lesionCodes, taskFinding } from './lesion-codes.js';
import { parseDicom } from './parse-dicom.js';
import { randomUid } from './uid.js';
import { writeMeasurementReport } from './write-measurement-report.js';

const root = mkdtempSync(join(tmpdir(), 'nt-sr-'));
after(() => rmSync(root, { recursive: true, force: true }));

const SEG = { sopInstanceUid: randomUid(), seriesInstanceUid: randomUid() };
const SUMMARY =
  'Intracranial haemorrhage, 3.5 mL (subarachnoid 2.3 mL, subdural 1.2 mL) in 3 lesions';

interface StudyResult {
  readonly triageState: 'positive' | 'negative' | 'not assessable';
  readonly reasons?: readonly string[];
}

function write(
  fixture: SourceFixture,
  summary?: string,
  result: StudyResult = { triageState: 'positive' },
): Uint8Array {
  return writeMeasurementReport({
    sources: [fixture.source],
    segmentation: SEG,
    segments: ['subarachnoid', 'subdural'].map((name, n) => {
      const codes = lesionCodes('ich', name);
      return {
        segmentNumber: n + 1,
        trackingId: name,
        trackingUid: randomUid(),
        finding: codes.type,
        findingSite: codes.anatomicRegion,
        volumeMl: [2.34567, 1.2][n]!,
        lesionCount: [2, 1][n]!,
      };
    }),
    study: {
      trackingUid: randomUid(),
      finding: taskFinding('ich'),
      totalVolumeMl: 3.5,
      lesionCount: 3,
      ...result,
      triageScore: 0.9731,
      ...(summary && { summary }),
    },
    model: { name: 'ich-ct', version: '1.2.0', sha256: 'ab12'.repeat(16) },
    device: {
      manufacturer: 'NeuroTriage',
      modelName: 'ich-ct',
      serialNumber: 'ab12ab12ab12ab12',
      softwareVersions: ['0.1.0', '1.2.0'],
    },
    deviceObserverUid: randomUid(),
    procedure: CODES.ctProcedure,
    notice: 'NeuroTriage is for research use only; it is not a medical device.',
    instance: {
      sopInstanceUid: randomUid(),
      seriesInstanceUid: randomUid(),
      seriesNumber: 9002,
      seriesDescription: 'NeuroTriage report - research use only',
      createdAt: new Date(2026, 0, 2, 3, 4, 5),
    },
  });
}

/** (concept meaning, value type, text/code meaning/number) of an item and its children. */
interface Node {
  readonly rel?: string;
  readonly type: string;
  readonly concept: string;
  readonly value?: string;
  readonly children: Node[];
}

function tree(ds: DataSet): Node {
  const concept = str(items(ds, 'x0040a043')[0]!, 'x00080104') ?? '';
  const type = str(ds, 'x0040a040') ?? '';
  const num = items(ds, 'x0040a300')[0];
  const value =
    str(ds, 'x0040a160') ??
    (items(ds, 'x0040a168')[0] && str(items(ds, 'x0040a168')[0]!, 'x00080104')) ??
    (num && `${str(num, 'x0040a30a')} ${str(items(num, 'x004008ea')[0]!, 'x00080100')}`) ??
    str(ds, 'x0040a124') ??
    (items(ds, 'x00081199')[0] && str(items(ds, 'x00081199')[0]!, 'x00081155'));
  return {
    rel: str(ds, 'x0040a010'),
    type,
    concept,
    value,
    children: items(ds, 'x0040a730').map(tree),
  };
}

function find(node: Node, concept: string): Node[] {
  return [
    ...(node.concept === concept ? [node] : []),
    ...node.children.flatMap((c) => find(c, concept)),
  ];
}

describe('DICOM SR measurement report (TID 1500)', () => {
  let fixture: SourceFixture;
  let bytes: Uint8Array;
  let path: string;
  before(async () => {
    fixture = await sourceFixture({ dir: join(root, 'src') });
    bytes = write(fixture, SUMMARY);
    path = join(root, 'sr.dcm');
    writeFileSync(path, bytes);
  });

  it('has the TID 1500 tree: language, device observer, procedure, groups, evaluations', () => {
    const ds = parseDicom(bytes);
    assert.equal(str(ds, 'x00080016'), '1.2.840.10008.5.1.4.1.1.88.34');
    assert.equal(str(ds, 'x0020000d'), fixture.source.studyInstanceUid);
    assert.equal(str(items(ds, 'x0040a504')[0]!, 'x0040db00'), '1500');
    const root = tree(ds);
    assert.equal(root.concept, 'Imaging Measurement Report');
    assert.deepEqual(
      root.children.map((c) => `${c.rel} ${c.concept}`),
      [
        'HAS CONCEPT MOD Language of Content Item and Descendants',
        'HAS OBS CONTEXT Observer Type',
        'HAS OBS CONTEXT Device Observer UID',
        'HAS OBS CONTEXT Device Observer Name',
        'HAS OBS CONTEXT Device Observer Manufacturer',
        'HAS OBS CONTEXT Device Observer Model Name',
        'HAS CONCEPT MOD Procedure reported',
        'CONTAINS Imaging Measurements',
        'CONTAINS Qualitative Evaluations',
      ],
    );
    assert.equal(find(root, 'Observer Type')[0]!.value, 'Device');
    assert.equal(find(root, 'Device Observer Manufacturer')[0]!.value, 'NeuroTriage');
    const groups = find(root, 'Measurement Group');
    assert.equal(groups.length, 3, 'two segments and the whole study');
    const [sah, , study] = groups;
    assert.equal(find(sah!, 'Tracking Identifier')[0]!.value, 'subarachnoid');
    assert.equal(find(sah!, 'Finding')[0]!.value, 'Hemorrhage');
    assert.equal(find(sah!, 'Finding Site')[0]!.value, 'Subarachnoid space');
    assert.equal(find(sah!, 'Referenced Segment')[0]!.value, SEG.sopInstanceUid);
    assert.equal(
      find(sah!, 'Source series for segmentation')[0]!.value,
      fixture.source.seriesInstanceUid,
    );
    assert.equal(find(sah!, 'Volume')[0]!.value, '2.346 ml');
    assert.equal(find(sah!, 'Number of lesions')[0]!.value, '2 1');
    assert.equal(find(find(sah!, 'Volume')[0]!, 'Algorithm Name')[0]!.value, 'ich-ct');
    assert.equal(find(study!, 'Volume')[0]!.value, '3.5 ml');
    assert.equal(find(study!, 'Triage score')[0]!.value, '0.9731 1');
    assert.equal(find(study!, 'Triage result')[0]!.value, 'Positive');
    assert.equal(find(study!, 'Finding')[1]!.value, SUMMARY);
    const evaluations = find(root, 'Qualitative Evaluations')[0]!;
    assert.equal(find(evaluations, 'Model file SHA-256')[0]!.value, 'ab12'.repeat(16));
    assert.match(find(evaluations, 'Comment')[0]!.value!, /not a medical device/);
  });

  it('lists the source images and the SEG as evidence', () => {
    const ds = parseDicom(bytes);
    const study = items(ds, 'x0040a375')[0]!;
    const referenced = items(study, 'x00081115').flatMap((s) =>
      items(s, 'x00081199').map((i) => str(i, 'x00081155')),
    );
    for (const im of fixture.source.images) assert.ok(referenced.includes(im.sopInstanceUid));
    assert.ok(referenced.includes(SEG.sopInstanceUid));
  });

  it('without a summary, leaves the text finding out', () => {
    const root = tree(parseDicom(write(fixture)));
    assert.equal(find(root, 'Finding').length, 3, 'one coded Finding per group, no text');
  });

  it('reads back with dcmdump and dcmtk SR reader', () => {
    const dump = dcmdump(path);
    assert.match(dump, /\(0008,0016\) UI =Comprehensive3DSRStorage/);
    assert.match(dump, /\(0040,a491\) CS \[COMPLETE\]/);
    assert.match(dump, /\(0040,db00\) CS \[1500\]/);
    const sr = spawnSync('dsrdump', [path], { encoding: 'utf8' });
    assert.equal(sr.status, 0, sr.stderr);
    assert.equal(sr.stderr, '', 'dsrdump has no complaint');
    assert.match(sr.stdout, /Volume"\)="2\.346" \(ml,UCUM,"milliliter"\)/);
  });

  it('passes dciodvfy: no error, warnings only about the private coding scheme', () => {
    const check = dciodvfy(path);
    assert.deepEqual(check.errors, [], check.output);
    const other = check.warnings.filter((w) => !/99NTRG|DICOMDIR/.test(w));
    assert.deepEqual(other, [], check.output);
  });

  it('codes a study it could not judge as Not assessable, with each reason, and still validates', () => {
    const reasons = [
      'registration to the ct template failed (quality 0.120 below 0.5): no brain mask',
      'brain SNR 3.1 is below 6',
    ];
    const summary = `Not assessable: ${reasons.join('; ')}`;
    const na = write(fixture, summary, { triageState: 'not assessable', reasons });
    const study = find(tree(parseDicom(na)), 'Measurement Group')[2]!;
    assert.equal(find(study, 'Triage result')[0]!.value, 'Not assessable');
    assert.deepEqual(
      find(study, 'Reason not assessable').map((n) => n.value),
      reasons,
    );
    assert.equal(find(study, 'Finding')[1]!.value, summary);
    const naPath = join(root, 'sr-not-assessable.dcm');
    writeFileSync(naPath, na);
    const check = dciodvfy(naPath);
    assert.deepEqual(check.errors, [], check.output);
    assert.deepEqual(
      check.warnings.filter((w) => !/99NTRG|DICOMDIR/.test(w)),
      [],
      check.output,
    );
    const sr = spawnSync('dsrdump', [naPath], { encoding: 'utf8' });
    assert.equal(sr.status, 0, sr.stderr);
    assert.match(sr.stdout, /"Not assessable"/);
    assert.doesNotMatch(sr.stdout, /"Negative"/);
  });
});
