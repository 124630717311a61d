/**
 * One analysis of files on the user's computer, as the browser worker runs it: the dropped files
 * (bytes + names; zips opened) → the series catalog → `selectInputs` → `analyzeStudy` → the
 * report (`buildReport`) with the label map and the scans as NIfTI bytes for the case view. The
 * same readers, selection and analysis as the service's jobs (service/stored-inputs.ts,
 * analyse-stored-study.ts); nothing leaves the worker. No DOM: testable under Node with any
 * `Resources`.
 */
import { UserInputError } from '../core/errors.js';
import { catalogFromFiles } from '../io/files-catalog.js';
import type { InputFile } from '../io/input-file.js';
import { isZip, unzipEntries } from '../io/unzip-entries.js';
import { type AnalysisProgress, analyzeStudy } from '../pipeline/analyze-study.js';
import type { Resources } from '../pipeline/resources.js';
import { selectInputs } from '../pipeline/select-inputs.js';
import { type AnalyzeReport, buildReport } from '../report/build-report.js';
import { labelsNifti, scanNifti } from '../report/scan-nifti.js';

export interface LocalScan {
  /** Model channel: 'ct', 'dwi', 'adc'. */
  readonly channel: string;
  /** Gzipped NIfTI. */
  readonly bytes: Uint8Array;
}

export interface LocalResult {
  readonly report: AnalyzeReport;
  /** The label map on the first image's native grid, gzipped NIfTI. */
  readonly labels: Uint8Array;
  readonly scans: readonly LocalScan[];
}

export type LocalStage = 'read' | AnalysisProgress['stage'] | 'write';

export interface AnalyseLocalFilesOptions {
  readonly files: readonly InputFile[];
  readonly resources: Resources;
  readonly onProgress?: (progress: { stage: LocalStage; fraction: number }) => void;
}

const ms = (x: number) => Math.round(x * 10) / 10;

export async function analyseLocalFiles(options: AnalyseLocalFilesOptions): Promise<LocalResult> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => undefined);
  progress({ stage: 'read', fraction: 0 });
  const files = options.files.flatMap((f) =>
    isZip(f.bytes) ? unzipEntries(f.bytes, {}, `${f.name}/`) : [f],
  );
  const catalog = catalogFromFiles(files, {
    onScanProgress: (done, total) => progress({ stage: 'read', fraction: done / total }),
  });
  if (catalog.entries.length === 0) {
    const why = catalog.skipped.slice(0, 3).map((s) => `${s.name}: ${s.reason}`);
    throw new UserInputError(`no image series found${why.length ? ` (${why.join('; ')})` : ''}`);
  }
  const selected = await selectInputs({ entries: catalog.entries, task: 'auto' });
  const readMs = performance.now() - started;
  const analysis = await analyzeStudy(
    { images: selected.images, task: selected.task },
    options.resources,
    {
      onProgress: (p) => progress(p),
    },
  );
  progress({ stage: 'write', fraction: 0 });
  const t = performance.now();
  const { segmentation } = analysis;
  const labels = labelsNifti({
    grid: segmentation.native,
    labels: segmentation.labelsNative,
    task: analysis.task,
  });
  const channels = analysis.card.inputs.channels;
  const scans = analysis.images.map((image, i) => ({
    channel: channels[i] ?? `image${i + 1}`,
    bytes: scanNifti(image, channels[i]),
  }));
  const timingsMs: Record<string, number> = {
    read: ms(readMs),
    ...analysis.timingsMs,
    write: ms(performance.now() - t),
  };
  timingsMs.total = ms(performance.now() - started);
  const report = buildReport(analysis, {
    paths: options.files.map((f) => f.name),
    selection: selected,
    timingsMs,
    files: {},
  });
  progress({ stage: 'write', fraction: 1 });
  return { report, labels, scans };
}
