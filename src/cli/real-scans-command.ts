/**
 * `neurotriage experiment real-scans --model DIR --out DIR`: the infarct model on every real
 * diffusion scan of the shared data, found by listing (so a new scan joins by being added):
 * each `dicom/dwi-*` folder's DICOM, and each `cases/*` folder holding a DWI (a dwi + adc pair,
 * or 4-D NIfTI files). Every scan's report and overview picture go to OUT/<scan>/, a table to
 * stdout and OUT/real-scans.json. The scans of healthy volunteers must come out negative; the
 * ISLES'22 case has an infarct. A scan analyze refuses is listed with the reason, never dropped.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserInputError } from '../core/errors.js';
import { dataRoot } from '../io/data-root.js';
import { runAnalyze } from './analyze-command.js';
import { RESEARCH_NOTICE } from './notice.js';

export interface RealScansOptions {
  readonly model?: string;
  readonly out: string;
  readonly data?: string;
  /** Infarct: the restriction check's ratio (default: the card's). */
  readonly maxRelativeAdc?: number;
}

export interface RealScan {
  /** e.g. 'dicom/dwi-philips-b1000' or 'cases/dwi-canon-b1500/3000_DTI_PA-ortho_cl'. */
  readonly name: string;
  readonly inputs: string[];
  /** What the scan is known to hold: a healthy volunteer's brain, or an infarct. */
  readonly truth: 'normal' | 'infarct';
}

export interface RealScanResult {
  readonly name: string;
  readonly truth: RealScan['truth'];
  readonly refused?: string;
  readonly positive?: boolean;
  /** positive, negative or not assessable (issue 25; report.json version 3). */
  readonly state?: 'positive' | 'negative' | 'not assessable';
  readonly score?: number;
  readonly threshold?: number | null;
  readonly totalLesionMl?: number;
  readonly lesionCount?: number;
  readonly summary?: string;
}

/** The real diffusion scans under the data root. */
export function realDiffusionScans(root: string): RealScan[] {
  const scans: RealScan[] = [];
  const dicom = join(root, 'dicom');
  for (const d of existsSync(dicom) ? readdirSync(dicom).sort() : [])
    if (d.startsWith('dwi-') && existsSync(join(dicom, d, 'dicom')))
      scans.push({ name: `dicom/${d}`, inputs: [join(dicom, d, 'dicom')], truth: 'normal' });
  const cases = join(root, 'cases');
  for (const c of existsSync(cases) ? readdirSync(cases).sort() : []) {
    const dir = join(cases, c);
    const truth = /isles/i.test(c) ? 'infarct' : 'normal';
    if (existsSync(join(dir, 'dwi.nii.gz')) && existsSync(join(dir, 'adc.nii.gz'))) {
      scans.push({
        name: `cases/${c}`,
        inputs: [join(dir, 'dwi.nii.gz'), join(dir, 'adc.nii.gz')],
        truth,
      });
      continue;
    }
    for (const f of readdirSync(dir).sort())
      if (/\.nii(\.gz)?$/.test(f))
        scans.push({
          name: `cases/${c}/${f.replace(/\.nii(\.gz)?$/, '')}`,
          inputs: [join(dir, f)],
          truth,
        });
  }
  return scans;
}

export async function runRealScans(options: RealScansOptions): Promise<RealScanResult[]> {
  const scans = realDiffusionScans(dataRoot(options.data));
  if (scans.length === 0) throw new UserInputError('no real diffusion scan found in the data');
  const results: RealScanResult[] = [];
  const write = process.stdout.write.bind(process.stdout);
  for (const scan of scans) {
    const out = join(options.out, scan.name.replace(/\//g, '__'));
    process.stderr.write(`analyze ${scan.name}\n`);
    process.stdout.write = () => true;
    try {
      await runAnalyze(scan.inputs, {
        out,
        task: 'infarct',
        json: true,
        ...(options.model !== undefined && { model: options.model }),
        ...(options.maxRelativeAdc !== undefined && { maxRelativeAdc: options.maxRelativeAdc }),
      });
      const r = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
        triage: {
          state?: 'positive' | 'negative' | 'not assessable';
          positive: boolean;
          score: number;
          threshold: number | null;
        };
        totalLesionMl: number;
        lesionCount: number;
        summary: string;
      };
      results.push({
        name: scan.name,
        truth: scan.truth,
        positive: r.triage.positive,
        state: r.triage.state ?? (r.triage.positive ? 'positive' : 'negative'),
        score: r.triage.score,
        threshold: r.triage.threshold,
        totalLesionMl: r.totalLesionMl,
        lesionCount: r.lesionCount,
        summary: r.summary,
      });
    } catch (e) {
      if (!(e instanceof UserInputError)) throw e;
      results.push({ name: scan.name, truth: scan.truth, refused: e.message });
    } finally {
      process.stdout.write = write;
    }
  }
  writeFileSync(join(options.out, 'real-scans.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${realScansTable(results)}\n${RESEARCH_NOTICE}\n`);
  return results;
}

/** Markdown table of the results (as pasted into docs/models.md). */
export function realScansTable(results: readonly RealScanResult[]): string {
  const rows = results.map((r) => {
    if (r.refused) return `| \`${r.name}\` | ${r.truth} | refused: ${r.refused} | | | |`;
    // A not-assessable scan is neither a right nor a wrong call: it goes to a radiologist.
    const call =
      r.state === 'not assessable'
        ? '**not assessable**'
        : r.positive
          ? '**positive**'
          : 'negative';
    const ok = r.state === 'not assessable' || (r.truth === 'infarct') === r.positive ? '' : ' ✗';
    return `| \`${r.name}\` | ${r.truth} | ${call}${ok} | ${r.score?.toFixed(4)} (threshold ${r.threshold ?? 'none'}) | ${r.totalLesionMl?.toFixed(2)} mL | ${r.lesionCount} |`;
  });
  return [
    '| real scan | truth | call | score | segmented | lesions |',
    '|---|---|---|---:|---:|---:|',
    ...rows,
  ].join('\n');
}
