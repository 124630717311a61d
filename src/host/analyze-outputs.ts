/**
 * Writes what `analyze` produces into --out (and --dicom-out): labels.nii.gz and
 * probability.nii.gz on the input's native grid, overview.png, report.json, report.fhir.json,
 * and with DICOM input the SEG, SR, key images and overlay series. The contents come from `report`; this file
 * only puts them on disk and times the writing.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DicomSourceReference } from '../core/dicom-source.js';
import { createVolume } from '../core/volume.js';
import { packageRoot } from '../io/data-root.js';
import { writeNiftiFile } from '../io/nifti/nifti-file.js';
import type { Analysis } from '../pipeline/analyze-study.js';
import { triageHeadline } from '../pipeline/finding-summary.js';
import {
  type AnalyzeReport,
  type BuildReportOptions,
  buildReport,
} from '../report/build-report.js';
import { DICOM_FILE_NAMES, dicomOutputs } from '../report/dicom-outputs.js';
import { toFhirDiagnosticReport } from '../report/fhir-report.js';
import { overviewPng } from '../report/overview.js';
import { writeScanOutputs } from './scan-outputs.js';

/** gzip level of the written maps: level 6 costs seconds on thin-slice grids for ~2× smaller files. */
const FAST_GZIP = 1;
/**
 * The probability map is stored as uint8 with scl_slope 1/255 (readers get float32 in [0, 1],
 * steps of 0.004): as float32 on a 0.6-mm grid, its sub-1 % noise made a 132-MB file that took
 * 4 s to compress; as uint8 it is ~3 MB in 0.1 s.
 */
const PROBABILITY_STORAGE = { datatype: 'uint8', sclSlope: 1 / 255, gzipLevel: FAST_GZIP } as const;

export interface WriteAnalysisOptions {
  readonly out: string;
  /** Also write DICOM SEG, SR and key images here (needs `sources`). */
  readonly dicomOut?: string;
  /** Also write the analysed scans (`scan-<channel>.nii.gz`, scan-outputs.ts) for a viewer. */
  readonly scans?: boolean;
  readonly paths: readonly string[];
  readonly selection: BuildReportOptions['selection'] & {
    readonly sources?: readonly DicomSourceReference[];
  };
  /** Timings measured before the analysis (reading). */
  readonly timingsMs: Record<string, number>;
  /** performance.now() when the command started, for the total. */
  readonly started: number;
}

/** NeuroTriage's version (package.json), for the device identity of DICOM outputs. */
export function softwareVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function writeAnalysisOutputs(
  analysis: Analysis,
  options: WriteAnalysisOptions,
): AnalyzeReport {
  const { task, segmentation: result, spec } = analysis;
  const first = analysis.images[0]!;
  const t = performance.now();
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  const files = {
    labels: join(out, 'labels.nii.gz'),
    probability: join(out, 'probability.nii.gz'),
    report: join(out, 'report.json'),
    overview: join(out, 'overview.png'),
    fhir: join(out, 'report.fhir.json'),
  };
  writeNiftiFile(
    files.labels,
    createVolume(result.native, result.labelsNative, { modality: 'SEG', units: 'label' }),
    { description: `neurotriage ${task} labels`, gzipLevel: FAST_GZIP },
  );
  writeNiftiFile(
    files.probability,
    createVolume(result.native, result.probabilityNative, { units: 'probability' }),
    { description: `neurotriage ${task} lesion probability`, ...PROBABILITY_STORAGE },
  );
  writeFileSync(
    files.overview,
    overviewPng({
      image: first,
      labels: result.labelsNative,
      labelNames: spec.labels,
      title: `${task}: ${triageHeadline({
        state: analysis.state,
        totalLesionMl: result.totalLesionMl,
        ...(analysis.assessment.reasons[0] && { reason: analysis.assessment.reasons[0].message }),
      })}`,
    }),
  );
  const scanFiles = options.scans
    ? writeScanOutputs({ out, channels: analysis.card.inputs.channels, images: analysis.images })
    : {};
  const timingsMs: Record<string, number> = {
    ...options.timingsMs,
    ...analysis.timingsMs,
    write: ms(performance.now() - t),
  };
  timingsMs.total = ms(performance.now() - options.started);
  let report = buildReport(analysis, {
    paths: options.paths,
    selection: options.selection,
    timingsMs,
    files: { ...files, ...scanFiles },
  });
  const sources = options.selection.sources;
  if (options.dicomOut !== undefined && sources) {
    const t1 = performance.now();
    const dir = resolve(options.dicomOut);
    const objects = dicomOutputs({
      softwareVersion: softwareVersion(),
      report,
      sources,
      image: first,
      labels: result.labelsNative,
      labelNames: spec.labels,
    });
    mkdirSync(dir, { recursive: true });
    const dicomFiles: Record<string, string> = {};
    for (const [key, bytes] of Object.entries(objects)) {
      const path = join(dir, DICOM_FILE_NAMES[key as keyof typeof DICOM_FILE_NAMES]);
      writeFileSync(path, bytes);
      dicomFiles[key] = path;
    }
    timingsMs.dicom = ms(performance.now() - t1);
    timingsMs.total = ms(performance.now() - options.started);
    report = { ...report, files: { ...report.files, ...dicomFiles }, timingsMs };
  }
  writeFileSync(files.report, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(
    files.fhir,
    `${JSON.stringify(toFhirDiagnosticReport(report, { issued: new Date().toISOString() }), null, 2)}\n`,
  );
  return report;
}

function ms(x: number): number {
  return Math.round(x * 10) / 10;
}
