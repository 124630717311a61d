/**
 * Side by side with the BLAST-CT v1 peer on synthetic CTs with known truth, and on the real
 * normal CT: `npm run bench:blast-accuracy -- --truth HOLDOUT --pred PREDICTIONS [--n 6] [--skip 0]`
 * (`--skip` starts later in the manifest, to add cases to an earlier run; `--peer-cache DIR`
 * keeps the peer's label map per case there and reuses it, so the table can be made again for a
 * new model of ours without the peer's 1.5 min per case).
 * HOLDOUT is a `synth --task ich` folder (manifest.jsonl, cases/<id>/ct.nii.gz + label.nii.gz);
 * PREDICTIONS is `experiment holdout`'s predictions/ folder for our model on the same cases.
 * Both label maps go into the peer's classes — IPH; extra-axial = SDH + EDH + SAH; oedema;
 * IVH — and "blood" is every class but oedema. Per case: blood Dice and lesion-wise F1 (ISLES'22
 * definitions, 26-connectivity), per-class Dice, and whether any blood was called. The peer
 * runs once per case (about 1.5 min on 2 cores), so N is small.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { voxelVolumeMl } from '../src/core/geometry.js';
import { islesMetrics } from '../src/eval/isles-metrics.js';
import { perLabelMetrics } from '../src/eval/per-label.js';
import { openCatalog, selectEntry } from '../src/io/series-catalog.js';
import { createVolume } from '../src/core/volume.js';
import { readNiftiFile, writeNiftiFile } from '../src/io/nifti/nifti-file.js';
import { runBlastCt } from '../src/models/blast-ct-peer.js';
import { loadOnnxModel } from '../src/models/onnx-model.js';
import { sharedDataPath } from '../src/testing/shared-data.js';
import { machineInfo } from './report.js';

/** Our labels (1 IPH, 2 IVH, 3 SAH, 4 SDH, 5 EDH, 6 oedema) → the peer's (1 IPH, 2 extra-axial, 3 oedema, 4 IVH). */
const OURS_TO_PEER = [0, 1, 4, 2, 2, 2, 3];
const PEER_CLASSES: Record<number, string> = { 1: 'IPH', 2: 'extra-axial', 3: 'oedema', 4: 'IVH' };
const BLOOD = (v: number) => v === 1 || v === 2 || v === 4;

const toPeer = (labels: ArrayLike<number>) =>
  Uint8Array.from({ length: labels.length }, (_, v) => OURS_TO_PEER[labels[v]!] ?? 0);

function blood(labels: Uint8Array): Uint8Array {
  const out = new Uint8Array(labels.length);
  for (let v = 0; v < labels.length; v++) if (BLOOD(labels[v]!)) out[v] = 1;
  return out;
}

const { values } = parseArgs({
  options: {
    truth: { type: 'string' },
    pred: { type: 'string' },
    n: { type: 'string' },
    skip: { type: 'string' },
    'peer-cache': { type: 'string' },
  },
});
if (!values.truth || !values.pred) throw new Error('usage: --truth HOLDOUT --pred PREDICTIONS');
const n = Number(values.n ?? 6);
const skip = Number(values.skip ?? 0);
const manifest = readFileSync(join(values.truth, 'manifest.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { id: string; kinds?: string[]; totalVolumeMl: number })
  .slice(skip, skip + n);

const peer = await loadOnnxModel(sharedDataPath('peers', 'blast-ct-v1', 'model_1.onnx'), {
  outputSize: 'any',
});
const fmt = (x: number) => x.toFixed(2);
const rows: string[] = [];
for (const c of manifest) {
  const ct = readNiftiFile(join(values.truth, 'cases', c.id, 'ct.nii.gz')).volumes[0]!;
  const truth = toPeer(
    readNiftiFile(join(values.truth, 'cases', c.id, 'label.nii.gz')).volumes[0]!.data,
  );
  const ours = toPeer(readNiftiFile(join(values.pred, c.id, 'labels.nii.gz')).volumes[0]!.data);
  const cached = values['peer-cache'] && join(values['peer-cache'], `${c.id}.nii.gz`);
  const t0 = performance.now();
  let theirs: Uint8Array;
  const fromCache = Boolean(cached && existsSync(cached));
  if (cached && fromCache) {
    theirs = Uint8Array.from(readNiftiFile(cached).volumes[0]!.data);
  } else {
    theirs = (await runBlastCt({ ct, run: (x, s) => peer.run(x, s) })).labelsNative;
    if (cached) writeNiftiFile(cached, createVolume(ct.geometry, theirs, { units: 'label' }));
  }
  const seconds = (performance.now() - t0) / 1000;
  const pair = (pred: Uint8Array) =>
    islesMetrics({
      truth: blood(truth),
      prediction: blood(pred),
      shape: ct.geometry.shape,
      voxelMl: voxelVolumeMl(ct.geometry),
    });
  const [a, b] = [pair(ours), pair(theirs)];
  // Per class Dice; '–' where the truth has none of the class.
  const perClass = (pred: Uint8Array) =>
    perLabelMetrics({
      truth,
      prediction: pred,
      shape: ct.geometry.shape,
      spacingMm: ct.geometry.spacingMm,
      labels: PEER_CLASSES,
    })
      .perLabel.map((l) => `${l.name} ${l.truthVolumeMl > 0 ? fmt(l.dice) : '–'}`)
      .join(', ');
  rows.push(
    `| ${c.id} | ${(c.kinds ?? []).join('+') || 'none'} ${c.totalVolumeMl.toFixed(1)} mL | ${fmt(a.dice)} / ${fmt(a.lesionF1)} / ${a.predictedVolumeMl.toFixed(1)} mL | ${fmt(b.dice)} / ${fmt(b.lesionF1)} / ${b.predictedVolumeMl.toFixed(1)} mL | ${perClass(ours)} | ${perClass(theirs)} | ${fromCache ? 'cached' : seconds.toFixed(0)} |`,
  );
  process.stderr.write(`${rows[rows.length - 1]}\n`);
}

// The real normal CT: how much blood each calls (truth: none).
const entry = selectEntry(openCatalog(sharedDataPath('dicom', 'ct-head-ge-tilt', 'dicom')));
const normal = (await entry.load()).volumes[0]!;
const normalPeer = (await runBlastCt({ ct: normal, run: (x, s) => peer.run(x, s) })).labelsNative;
let bloodVoxels = 0;
for (let v = 0; v < normalPeer.length; v++) if (BLOOD(normalPeer[v]!)) bloodVoxels++;
await peer.release();

const m = machineInfo();
process.stdout.write(
  [
    `Machine: ${m.cpuModel}, ${m.cores} cores, Node ${m.node}; ${m.date}. Blood = IPH + extra-axial + IVH (peer classes).`,
    '',
    '| case | truth | ours: blood Dice / lesion F1 / volume | BLAST-CT: blood Dice / lesion F1 / volume | ours per class Dice | BLAST-CT per class Dice | peer s |',
    '|---|---|---|---|---|---|---:|',
    ...rows,
    '',
    `Real normal GE head CT: BLAST-CT calls ${(bloodVoxels * voxelVolumeMl(normal.geometry)).toFixed(1)} mL of blood.`,
    '',
  ].join('\n'),
);
