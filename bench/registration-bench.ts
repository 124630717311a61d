/**
 * Registration speed and quality on real scans: the ISLES'22 DWI (128×128×25, and resampled to
 * 256×256×40), the Philips and UIH b0 images, and the GE head CT (512×611×37 after tilt
 * correction) to their templates. Template preparation is timed separately (done once per
 * process). Per scan one warm-up, then the median of N runs of `registerToTemplate`: wall time
 * and CPU time of this process (on a busy machine CPU time is the fairer number).
 * `npm run bench:registration [-- --runs 5] [-- --figures docs/images]` (after `npm run build`);
 * `--figures DIR` also writes the checkerboard overlays (PNG) used in docs/registration.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gridForSpacing } from '../src/core/resample-grid.js';
import { resample } from '../src/core/resample.js';
import type { Volume } from '../src/core/volume.js';
import { dataRoot } from '../src/io/data-root.js';
import { readNiftiFile } from '../src/io/nifti/nifti-file.js';
import { encodePng } from '../src/io/png.js';
import { loadRegistrationTemplate } from '../src/io/registration-templates.js';
import { openCatalog, selectEntry } from '../src/io/series-catalog.js';
import { computeDiffusionMaps } from '../src/preprocess/diffusion-maps.js';
import { type PlaneAxis, registrationOverlayPlanes } from '../src/registration/overlay-planes.js';
import {
  type RegistrationResult,
  registerToTemplate,
} from '../src/registration/register-affine.js';
import { type PreparedTemplate, prepareTemplate } from '../src/registration/template-image.js';
import { montage, renderTile } from '../src/render/slice-view.js';
import { machineInfo } from './report.js';
import { summariseTimes } from './stats.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const RUNS = Number(arg('--runs') ?? 5);
const FIGURES = arg('--figures');
const root = dataRoot();

interface Scan {
  readonly name: string;
  readonly kind: 'ct' | 'mr';
  readonly volume: Volume;
}

async function loadScans(): Promise<Scan[]> {
  const isles = readNiftiFile(join(root, 'cases', 'isles22-mca-example', 'dwi.nii.gz')).volumes[0]!;
  const fine = resample(isles, {
    target: { ...gridForSpacing(isles.geometry, { spacingMm: [0.9, 0.9, 3] }) },
  });
  const ct = (
    await selectEntry(openCatalog(join(root, 'dicom', 'ct-head-ge-tilt', 'dicom'))).load()
  ).volumes[0]!;
  const b0 = async (name: string) => {
    const s = await selectEntry(openCatalog(join(root, 'dicom', name, 'dicom'))).load();
    return computeDiffusionMaps({
      volumes: s.volumes,
      bValues: s.diffusion.map((d) => d?.bValue ?? 0),
    }).b0;
  };
  return [
    { name: "ISLES'22 DWI b1000", kind: 'mr', volume: isles },
    { name: "ISLES'22 DWI resampled", kind: 'mr', volume: fine },
    { name: 'Philips b0', kind: 'mr', volume: await b0('dwi-philips') },
    { name: 'UIH b0', kind: 'mr', volume: await b0('dwi-uih') },
    { name: 'GE head CT, 18.5° tilt', kind: 'ct', volume: ct },
  ];
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Row {
  readonly scan: Scan;
  readonly wallMs: number;
  readonly wallRange: string;
  readonly cpuMs: number;
  readonly result: RegistrationResult;
}

function measure(scan: Scan, template: PreparedTemplate): Row {
  registerToTemplate({ patient: scan.volume, template });
  const wall: number[] = [];
  const cpu: number[] = [];
  let result: RegistrationResult | undefined;
  for (let r = 0; r < RUNS; r++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    result = registerToTemplate({ patient: scan.volume, template });
    wall.push(performance.now() - t0);
    cpu.push(cpuMs() - c0);
  }
  const w = summariseTimes(wall);
  return {
    scan,
    wallMs: w.medianMs,
    wallRange: `${w.minMs.toFixed(0)}–${w.maxMs.toFixed(0)}`,
    cpuMs: summariseTimes(cpu).medianMs,
    result: result!,
  };
}

function writeFigure(
  file: string,
  options: {
    scan: Scan;
    template: Volume;
    result: RegistrationResult;
    windows: { template: [number, number]; patient: [number, number] };
    contourLevel: number;
    planes: { axis: PlaneAxis; atMm: number }[];
  },
): void {
  const planes = registrationOverlayPlanes({
    template: options.template,
    patient: options.scan.volume,
    templateToPatient: options.result.templateToPatient,
    templateWindow: options.windows.template,
    patientWindow: options.windows.patient,
    planes: options.planes,
    contourLevel: options.contourLevel,
  });
  const tile = (image: Volume, caption: string, contour?: (typeof planes)[number]['contour']) =>
    renderTile({
      image,
      ...(contour ? { label: contour } : {}),
      window: [0, 1],
      size: 300,
      alpha: 0.9,
      slice: 0,
      caption,
    });
  const tiles = [
    ...planes.map((p) => tile(p.image, `${p.name}: checkerboard`)),
    ...planes.map((p) => tile(p.scan, `${p.name}: scan, template contour`, p.contour)),
  ];
  const q = options.result.quality;
  const image = montage(tiles, {
    columns: planes.length,
    title: `${options.scan.name}: score ${q.score.toFixed(3)}, interior ${q.interiorScore.toFixed(3)}, ${options.result.ok ? 'accepted' : 'REJECTED'}`,
  });
  writeFileSync(
    file,
    encodePng({ width: image.width, height: image.height, channels: 3, pixels: image.pixels }),
  );
}

const scans = await loadScans();
const templateMs: Record<string, number> = {};
const templates = new Map<'ct' | 'mr', { prepared: PreparedTemplate; image: Volume }>();
for (const kind of ['mr', 'ct'] as const) {
  const { image, name } = loadRegistrationTemplate(root, kind);
  const times: number[] = [];
  let prepared: PreparedTemplate | undefined;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    prepared = prepareTemplate({ image, name, kind });
    times.push(performance.now() - t0);
  }
  templateMs[name] = summariseTimes(times).medianMs;
  templates.set(kind, { prepared: prepared!, image });
}
const rows = scans.map((s) => measure(s, templates.get(s.kind)!.prepared));
const m = machineInfo();
const f = (x: number, d = 3) => x.toFixed(d);
process.stdout.write(
  [
    `Machine: ${m.cpuModel}, ${m.cores} cores, Node ${m.node}; ${m.date}; load average ${m.loadAverage1m.toFixed(1)} (timings rise with it); median of ${RUNS} after one warm-up.`,
    '',
    '| scan | grid | template | wall ms (min–max) | CPU ms | ok | MI nats | score | interior | overlap | stretches | target |',
    '|---|---|---|---:|---:|---|---:|---:|---:|---|---|---|',
    ...rows.map((r) => {
      const q = r.result.quality;
      const g = r.scan.volume.geometry;
      return `| ${r.scan.name} | ${g.shape.join('×')} @ ${g.spacingMm.map((s) => s.toFixed(2)).join('×')} mm | ${r.result.template.split('/')[0]} | ${r.wallMs.toFixed(0)} (${r.wallRange}) | ${r.cpuMs.toFixed(0)} | ${r.result.ok ? 'yes' : `no: ${r.result.failureReason}`} | ${f(q.value)} | ${f(q.score)} | ${f(q.interiorScore)} | ${f(q.overlap.patientInTemplate, 2)}/${f(q.overlap.templateInPatient, 2)} | ${r.result.transform.stretches.map((s) => f(s, 2)).join(', ')} | ≤ 3000 ms |`;
    }),
    '',
    `Template preparation (once per process): ${Object.entries(templateMs)
      .map(([n, ms]) => `${n} ${ms.toFixed(0)} ms`)
      .join(', ')}.`,
    '',
  ].join('\n'),
);

if (FIGURES) {
  mkdirSync(FIGURES, { recursive: true });
  const dwi = rows[0]!;
  const ct = rows[rows.length - 1]!;
  writeFigure(join(FIGURES, 'registration-isles-dwi.png'), {
    scan: dwi.scan,
    template: templates.get('mr')!.image,
    result: dwi.result,
    windows: { template: [0, 200], patient: [0, 160] },
    contourLevel: 0.35,
    planes: [
      { axis: 'axial', atMm: 12 },
      { axis: 'axial', atMm: -12 },
      { axis: 'coronal', atMm: -10 },
      { axis: 'sagittal', atMm: -35 },
    ],
  });
  // CT template in Cormack units: 0…80 HU ↔ 1900…2700.
  writeFigure(join(FIGURES, 'registration-ct.png'), {
    scan: ct.scan,
    template: templates.get('ct')!.image,
    result: ct.result,
    windows: { template: [1900, 2700], patient: [0, 80] },
    contourLevel: 0.56,
    planes: [
      { axis: 'axial', atMm: 30 },
      { axis: 'axial', atMm: 0 },
      { axis: 'coronal', atMm: -10 },
      { axis: 'sagittal', atMm: 2 },
    ],
  });
  process.stdout.write(`Figures written to ${FIGURES}.\n`);
}
