/**
 * First call vs warm call of `analyzeStudy` (issue 18): in a fresh process the first call loads
 * the model session, the registration template (and prepares its pyramid), the brain mask and
 * the atlases; later calls with the same `Resources` load nothing. Per input, `RUNS` fresh
 * child processes (warm-analyze-child.ts) each time one first call and two warm calls on the
 * same study; the table gives medians (and min–max). Reading the files and writing outputs are
 * not timed: only `analyzeStudy`. Inputs: a synthetic 512×512 head CT at 5 mm (as in
 * analyze-bench.ts) and the real ISLES'22 DWI + ADC. `npm run bench:warm`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNiftiFile, writeNiftiFile } from '../src/io/nifti/nifti-file.js';
import { dataRoot } from '../src/io/data-root.js';
import { loadSynthResources } from '../src/io/reference-data.js';
import { synthesizeCase } from '../src/synth/synthesize.js';
import { repoRoot, sharedDataPath } from '../src/testing/shared-data.js';
import { machineInfo } from './report.js';
import { summariseTimes } from './stats.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const s = (ms: number) => (ms / 1000).toFixed(2);

interface Call {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly stagesMs: Record<string, number>;
}

interface ChildResult {
  readonly first: Call;
  readonly warm: Call[];
  readonly loadsAfterFirst: Record<string, number>;
  readonly loadsAfterWarm: Record<string, number>;
}

function runChild(files: readonly string[]): ChildResult {
  const child = join(repoRoot(), 'dist', 'bench', 'warm-analyze-child.js');
  const r = spawnSync(process.execPath, [child, ...files], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`warm-analyze-child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

const dir = mkdtempSync(join(tmpdir(), 'nt-warm-bench-'));
try {
  const ct = synthesizeCase(loadSynthResources(dataRoot(), 'ich'), {
    task: 'ich',
    seed: 7,
    index: 0,
    site: 'ct-a-standard',
    negative: false,
  }).images.ct!;
  const ctPath = join(dir, 'ct5.nii.gz');
  writeNiftiFile(ctPath, ct);
  const isles = sharedDataPath('cases', 'isles22-mca-example');
  const inputs = [
    { name: 'ICH, CT 5 mm (synthetic)', shape: ct.geometry.shape, files: [ctPath] },
    {
      name: "infarct, ISLES'22 DWI + ADC (real)",
      shape: readNiftiFile(join(isles, 'dwi.nii.gz')).volumes[0]!.geometry.shape,
      files: [join(isles, 'dwi.nii.gz'), join(isles, 'adc.nii.gz')],
    },
  ];
  const rows: string[] = [];
  for (const input of inputs) {
    const runs = Array.from({ length: RUNS }, () => runChild(input.files));
    const first = summariseTimes(runs.map((r) => r.first.wallMs));
    const warm = summariseTimes(runs.flatMap((r) => r.warm.map((c) => c.wallMs)));
    const firstCpu = summariseTimes(runs.map((r) => r.first.cpuMs));
    const warmCpu = summariseTimes(runs.flatMap((r) => r.warm.map((c) => c.cpuMs)));
    // The stages that use resources: model session, registration (template), localisation.
    const stage = (calls: Call[], key: string) =>
      summariseTimes(calls.map((c) => c.stagesMs[key] ?? 0)).medianMs;
    const firsts = runs.map((r) => r.first);
    const warms = runs.flatMap((r) => r.warm);
    const stages = ['loadModel', 'registration', 'localisation']
      .map((k) => `${k} ${s(stage(firsts, k))} → ${s(stage(warms, k))}`)
      .join(', ');
    const loadsWarm = runs.every(
      (r) => JSON.stringify(r.loadsAfterWarm) === JSON.stringify(r.loadsAfterFirst),
    );
    rows.push(
      `| ${input.name} | ${input.shape.join('×')} | ${s(first.medianMs)} (${s(first.minMs)}–${s(first.maxMs)}) | ${s(warm.medianMs)} (${s(warm.minMs)}–${s(warm.maxMs)}) | ${(first.medianMs / warm.medianMs).toFixed(2)} | ${s(firstCpu.medianMs)} → ${s(warmCpu.medianMs)} | ${stages} | ${loadsWarm ? 'none' : 'SOME'} |`,
    );
  }
  const m = machineInfo();
  process.stdout.write(
    [
      `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}; ${m.date}; load average ${m.loadAverage1m.toFixed(1)}.`,
      '',
      `| analyzeStudy | input | first call s, median of ${RUNS} (min–max) | warm call s, median of ${RUNS * 2} (min–max) | first / warm | CPU s first → warm | stages s first → warm | loads in warm calls |`,
      '|---|---|---:|---:|---:|---:|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
