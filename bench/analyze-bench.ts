/**
 * End-to-end analyze speed and memory, input files → report.json, as the user runs it
 * (`neurotriage analyze`, one process per run, median of 5): ICH on a 512×512 head CT at 5 mm
 * and on ~300 thin slices; infarct on DWI + ADC at 128×128×25 (the real ISLES'22 example) and
 * ~256×256×40. The BLAST-CT peer runs on the same 5 mm CT (in this process, once: one run
 * takes minutes) and the table gives our time / its time.
 * `npm run bench:analyze` (after `npm run build`; needs models/ich-ct and models/infarct-dwi).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Volume } from '../src/core/volume.js';
import { readNiftiFile, writeNiftiFile } from '../src/io/nifti/nifti-file.js';
import { dataRoot } from '../src/io/data-root.js';
import { loadSynthResources } from '../src/io/reference-data.js';
import { runBlastCt } from '../src/models/blast-ct-peer.js';
import { loadOnnxModel } from '../src/models/onnx-model.js';
import { synthesizeCase } from '../src/synth/synthesize.js';
import { repoRoot, sharedDataPath } from '../src/testing/shared-data.js';
import { machineInfo } from './report.js';
import { summariseTimes } from './stats.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

interface Input {
  readonly name: string;
  readonly files: string[];
  readonly shape: readonly number[];
  readonly target: string;
}

function writeCase(dir: string, name: string, images: Record<string, Volume>): string[] {
  return Object.entries(images).map(([key, volume]) => {
    const path = join(dir, `${name}-${key}.nii.gz`);
    writeNiftiFile(path, volume);
    return path;
  });
}

function makeInputs(dir: string): Input[] {
  const root = dataRoot();
  const ct = loadSynthResources(root, 'ich');
  const mr = loadSynthResources(root, 'infarct');
  const thick = synthesizeCase(ct, {
    task: 'ich',
    seed: 7,
    index: 0,
    site: 'ct-a-standard',
    negative: false,
  });
  const thin = synthesizeCase(ct, {
    task: 'ich',
    seed: 7,
    index: 1,
    site: 'ct-a-standard',
    gridSpacingMm: 0.6,
    negative: false,
  });
  const dwi = synthesizeCase(mr, {
    task: 'infarct',
    seed: 7,
    index: 2,
    site: 'mr-c-3t-thin',
    negative: false,
  });
  const isles = sharedDataPath('cases', 'isles22-mca-example');
  return [
    {
      name: 'ICH, CT 5 mm',
      files: writeCase(dir, 'ct5', { ct: thick.images.ct! }),
      shape: thick.images.ct!.geometry.shape,
      target: '≤ 10 s',
    },
    {
      name: 'ICH, CT thin slices',
      files: writeCase(dir, 'ctthin', { ct: thin.images.ct! }),
      shape: thin.images.ct!.geometry.shape,
      target: '≤ 10 s',
    },
    {
      name: "infarct, ISLES'22 DWI + ADC (real)",
      files: [join(isles, 'dwi.nii.gz'), join(isles, 'adc.nii.gz')],
      shape: readNiftiFile(join(isles, 'dwi.nii.gz')).volumes[0]!.geometry.shape,
      target: '≤ 5 s',
    },
    {
      name: 'infarct, DWI + ADC 3 T thin',
      files: writeCase(dir, 'dwi', { dwi: dwi.images.dwi!, adc: dwi.images.adc! }),
      shape: dwi.images.dwi!.geometry.shape,
      target: '≤ 5 s',
    },
  ];
}

function runAnalyze(files: string[], out: string): { ms: number; maxRssMb: number } {
  const child = join(repoRoot(), 'dist', 'bench', 'analyze-child.js');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [child, 'analyze', ...files, '--out', out, '--json'], {
    encoding: 'utf8',
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`analyze failed: ${r.stderr}`);
  const rss = /maxRssKb (\d+)/.exec(r.stderr);
  return { ms, maxRssMb: rss ? Number(rss[1]) / 1024 : NaN };
}

async function blastCtSeconds(ctPath: string): Promise<number> {
  const ct = readNiftiFile(ctPath).volumes[0]!;
  const model = await loadOnnxModel(sharedDataPath('peers', 'blast-ct-v1', 'model_1.onnx'), {
    outputSize: 'any',
  });
  const t0 = performance.now();
  await runBlastCt({ ct, run: (input, shape) => model.run(input, shape) });
  const s = (performance.now() - t0) / 1000;
  await model.release();
  return s;
}

const dir = mkdtempSync(join(tmpdir(), 'nt-analyze-bench-'));
try {
  const inputs = makeInputs(dir);
  const rows: string[] = [];
  let ctMedianS = NaN;
  for (const input of inputs) {
    const runs = Array.from({ length: RUNS }, (_, n) =>
      runAnalyze(input.files, join(dir, `out-${n}`)),
    );
    const s = summariseTimes(runs.map((r) => r.ms));
    const rss = Math.max(...runs.map((r) => r.maxRssMb));
    if (input.name === 'ICH, CT 5 mm') ctMedianS = s.medianMs / 1000;
    rows.push(
      `| ${input.name} | ${input.shape.join('×')} | ${(s.medianMs / 1000).toFixed(2)} | ${(s.minMs / 1000).toFixed(2)}–${(s.maxMs / 1000).toFixed(2)} | ${rss.toFixed(0)} | ${input.target}, ≤ 2048 MB |`,
    );
  }
  const peer = process.env.BENCH_SKIP_PEER ? NaN : await blastCtSeconds(inputs[0]!.files[0]!);
  const m = machineInfo();
  process.stdout.write(
    [
      `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}; ${m.date}; load average ${m.loadAverage1m.toFixed(1)}.`,
      '',
      `| analyze (files → report.json, one process) | input | median s (of ${RUNS}) | min–max s | peak RSS MB | target |`,
      '|---|---|---:|---:|---:|---|',
      ...rows,
      '',
      `BLAST-CT peer (one ensemble member, 1 mm, 155³ tiles) on the same 5 mm CT: ${peer.toFixed(1)} s (network only, one run); ours / theirs = ${(ctMedianS / peer).toFixed(3)}.`,
      '',
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
