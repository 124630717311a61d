/**
 * Viewer benchmark (issue 21), `npm run bench:viewer`: headless Chromium (Debian's, as in the
 * browser tests) against the embedded service in this process, on two small synthetic cases
 * (viewer-cases.ts). Per case, after one warm-up of each path, the median (min–max) of `--runs`
 * (3) runs of:
 * - **first slice**: navigation to the case URL (`#/case/<id>`) → the page marks `#app[data-ready]`
 *   (report, scans and labels fetched, NiiVue's first render), from the page's navigation start;
 * - **browser inference**: the same files set on the drop zone of a freshly loaded page, analysed
 *   in the web worker (onnxruntime-web, wasm) twice: the report's `timingsMs.inference` (warm),
 *   and its `total` (reading to report, in the worker) for the first analysis of the page (the
 *   model and reference data fetched and loaded) and the second (warm);
 * - **server**: the same input uploaded and analysed by the service: its report's
 *   `timingsMs.inference` and `total`; browser / server ratios.
 * The service keeps its resources between runs (warm). `--json` also writes out/viewer-bench.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import {
  type TestService,
  startTestService,
  upload,
  waitFinished,
} from '../src/service/test-fixtures.js';
import { launchBrowser, signIn } from '../src/service/viewer-test-helpers.js';
import { type MachineInfo, machineInfo } from './report.js';
import { type TimeSummary, summariseTimes } from './stats.js';
import { type BenchCase, type BenchFile, benchCases } from './viewer-cases.js';

interface Timings {
  readonly inference: number;
  readonly total: number;
}

interface CaseResult {
  readonly name: string;
  readonly firstSliceMs: TimeSummary;
  readonly browser: {
    inference: TimeSummary;
    total: TimeSummary;
    /** A freshly loaded page's first analysis: model and reference data fetched and loaded. */
    coldTotal: TimeSummary;
    volumeMl: number;
  };
  readonly server: { inference: TimeSummary; total: TimeSummary; volumeMl: number };
}

interface ViewerBench {
  readonly machine: MachineInfo;
  readonly chromium: string;
  readonly browserThreads: number;
  readonly serverThreads: number;
  readonly runs: number;
  readonly cases: CaseResult[];
}

function runsArg(argv: readonly string[]): number {
  const i = argv.indexOf('--runs');
  const n = i >= 0 ? Number(argv[i + 1]) : 3;
  if (!Number.isInteger(n) || n < 1) throw new Error('--runs wants a positive integer');
  return n;
}

/** What the page evaluations read (they run in the page; Node's lib has no DOM types). */
interface History {
  back(): void;
}

type PageGlobals = {
  document: { getElementById(id: string): { dataset: Record<string, string | undefined> } };
};

async function serverRun(t: TestService, files: BenchFile[]) {
  const sent = await upload(t, files);
  if (sent.status !== 202) throw new Error(`upload: HTTP ${sent.status}`);
  const study = await waitFinished(t, sent.body.id);
  if (study.status !== 'done') throw new Error(`server analysis ${study.status}: ${study.reason}`);
  const r = await fetch(`${t.url}/studies/${study.id}/report`, { headers: t.auth });
  const report = (await r.json()) as { timingsMs: Timings; totalLesionMl: number };
  return { id: study.id, timings: report.timingsMs, volumeMl: report.totalLesionMl };
}

/** Navigation to the case URL → first rendered slice, from the page's navigation start. */
async function firstSlice(page: Page, url: string, id: string): Promise<number> {
  await page.goto('about:blank');
  await page.goto(`${url}/#/case/${id}`);
  await page.locator('#app[data-ready]').waitFor({ timeout: 120_000 });
  return page.evaluate(
    () =>
      Number((globalThis as unknown as PageGlobals).document.getElementById('app').dataset.ready) -
      performance.timeOrigin,
  );
}

/** One analysis of the files on the page's drop zone; resolves with the worker's report. */
async function analyseOnPage(page: Page, files: BenchFile[]) {
  await page.evaluate(
    () =>
      delete (globalThis as unknown as PageGlobals).document.getElementById('app').dataset.local,
  );
  await page.locator('input.local-files').setInputFiles(
    files.map((f) => ({
      name: f.name,
      mimeType: 'application/gzip',
      buffer: Buffer.from(f.bytes),
    })),
  );
  await page.locator('#app[data-local="done"]').waitFor({ timeout: 300_000 });
  const local = await page.evaluate(() => {
    const l = (globalThis as unknown as { neurotriageLocal: unknown }).neurotriageLocal as {
      report: { timingsMs: Timings; totalLesionMl: number };
      threads: number;
    };
    return { timings: l.report.timingsMs, volumeMl: l.report.totalLesionMl, threads: l.threads };
  });
  await page.evaluate(() => (globalThis as unknown as { history: History }).history.back());
  await page.locator('input.local-files').waitFor();
  return local;
}

/** A freshly loaded page: a cold analysis (fetches the model and reference data), then a warm one. */
async function browserRun(page: Page, url: string, files: BenchFile[]) {
  await page.goto('about:blank');
  await page.goto(`${url}/#/`);
  await page.locator('input.local-files').waitFor();
  const cold = await analyseOnPage(page, files);
  const warm = await analyseOnPage(page, files);
  return { cold, warm };
}

async function measureCase(
  t: TestService,
  page: Page,
  c: BenchCase,
  runs: number,
): Promise<{ result: CaseResult; threads: number }> {
  const server: Timings[] = [];
  const browser: Timings[] = [];
  const browserCold: Timings[] = [];
  const slices: number[] = [];
  let serverVolume = 0;
  let browserVolume = 0;
  let threads = 1;
  for (let run = 0; run <= runs; run++) {
    const files = c.files(run);
    const s = await serverRun(t, files);
    const slice = await firstSlice(page, t.url, s.id);
    const b = await browserRun(page, t.url, files);
    threads = b.warm.threads;
    if (run === 0) continue; // warm-up
    server.push(s.timings);
    browser.push(b.warm.timings);
    browserCold.push(b.cold.timings);
    slices.push(slice);
    serverVolume = s.volumeMl;
    browserVolume = b.warm.volumeMl;
  }
  const of = (xs: Timings[], k: keyof Timings) => summariseTimes(xs.map((x) => x[k]));
  return {
    threads,
    result: {
      name: c.name,
      firstSliceMs: summariseTimes(slices),
      browser: {
        inference: of(browser, 'inference'),
        total: of(browser, 'total'),
        coldTotal: of(browserCold, 'total'),
        volumeMl: browserVolume,
      },
      server: {
        inference: of(server, 'inference'),
        total: of(server, 'total'),
        volumeMl: serverVolume,
      },
    },
  };
}

const cell = (s: TimeSummary) =>
  `${s.medianMs.toFixed(0)} (${s.minMs.toFixed(0)}–${s.maxMs.toFixed(0)})`;

export function formatViewerBench(b: ViewerBench): string {
  const m = b.machine;
  const lines = [
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB RAM, ${m.platform}, Node ${m.node}, Chromium ${b.chromium} (headless, SwiftShader WebGL); ${m.date}; load average ${m.loadAverage1m.toFixed(1)}.`,
    `Median (min–max) of ${b.runs} runs after one warm-up; ms. Browser: onnxruntime-web wasm, ${b.browserThreads} thread(s); server: onnxruntime-node, ${b.serverThreads} thread(s).`,
    '',
    '| case | open case → first slice | browser inference | server inference | browser / server | browser analysis, first in a fresh page | browser analysis, warm | server analysis, warm | browser / server (warm) | volume mL browser / server |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const c of b.cases)
    lines.push(
      `| ${c.name} | ${cell(c.firstSliceMs)} | ${cell(c.browser.inference)} | ${cell(c.server.inference)} | ` +
        `**${(c.browser.inference.medianMs / c.server.inference.medianMs).toFixed(2)}** | ${cell(c.browser.coldTotal)} | ${cell(c.browser.total)} | ${cell(c.server.total)} | ` +
        `**${(c.browser.total.medianMs / c.server.total.medianMs).toFixed(2)}** | ${c.browser.volumeMl.toFixed(2)} / ${c.server.volumeMl.toFixed(2)} |`,
    );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const runs = runsArg(process.argv.slice(2));
  const serverThreads = availableParallelism();
  const t = await startTestService({ threadsPerWorker: serverThreads });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, t.url, t.token);
    const cases: CaseResult[] = [];
    let browserThreads = 1;
    for (const c of benchCases()) {
      const measured = await measureCase(t, page, c, runs);
      cases.push(measured.result);
      browserThreads = measured.threads;
    }
    const result: ViewerBench = {
      machine: machineInfo(),
      chromium: browser.version(),
      browserThreads,
      serverThreads,
      runs,
      cases,
    };
    console.log(formatViewerBench(result));
    if (process.argv.includes('--json')) {
      mkdirSync('out', { recursive: true });
      writeFileSync('out/viewer-bench.json', `${JSON.stringify(result, null, 2)}\n`);
    }
  } finally {
    await browser?.close();
    await t.service.close();
  }
}

await main();
