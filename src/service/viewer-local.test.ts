/**
 * In-browser inference (issue 21) in headless Chromium against a real service: the small head CT
 * is analysed by the service (uploaded over HTTP) and, separately, in the page's web worker from
 * the same file set on the drop zone's input. The browser's total volume is within 1 % of the
 * server's, with the same triage and model, and the page sends nothing to a POST route; a DICOM
 * folder chosen with the folder picker likewise. The
 * public assets the worker fetches are exactly the listed files, without a token.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ANALYSIS_REFERENCE_FILES } from '../io/reference-files.js';
import {
  type TestService,
  named,
  smallHeadCtDicom,
  smallHeadCtNifti,
  startTestService,
  upload,
  waitFinished,
} from './test-fixtures.js';
import { launchBrowser, signIn } from './viewer-test-helpers.js';

interface ReportJson {
  totalLesionMl: number;
  triage: { positive: boolean; score: number };
  model: { name: string; version: string; sha256: string };
  volumesMl: Record<string, number>;
  timingsMs: Record<string, number>;
  notice: string;
}

async function serverReport(
  t: TestService,
  files: { name: string; bytes: Uint8Array }[],
): Promise<ReportJson> {
  const sent = await upload(t, files);
  assert.equal(sent.status, 202, JSON.stringify(sent.body));
  const study = await waitFinished(t, sent.body.id);
  assert.equal(study.status, 'done', study.reason ?? '');
  const r = await fetch(`${t.url}/studies/${study.id}/report`, { headers: t.auth });
  return (await r.json()) as ReportJson;
}

describe('in-browser analysis of a local file', { timeout: 600_000 }, () => {
  let t: TestService;
  let browser: Browser;
  let page: Page;
  /** Requests of the page other than GET / HEAD (counted once signed in). */
  const posts: string[] = [];

  before(async () => {
    t = await startTestService();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await t?.service.close();
  });

  it('serves the model and reference files without a token, and nothing else', async () => {
    const card = await fetch(`${t.url}/assets/models/ich/card.json`);
    assert.equal(card.status, 200);
    assert.equal(((await card.json()) as { task: string }).task, 'ich');
    const template = await fetch(
      `${t.url}/assets/reference/${ANALYSIS_REFERENCE_FILES.ctTemplate}`,
    );
    assert.equal(template.status, 200);
    assert.ok((await template.arrayBuffer()).byteLength > 100_000);
    for (const path of [
      '/assets/models/ich/',
      '/assets/models/ich/README.md',
      '/assets/reference/templates/ct-older-adults/LICENSE',
      '/assets/reference/../../package.json',
      '/assets/models/..%2F..%2Fpackage.json',
    ]) {
      const r = await fetch(`${t.url}${path}`);
      assert.ok(r.status === 404 || r.status === 401, `${path}: HTTP ${r.status}`);
    }
  });

  it('matches the server within 1 % and uploads nothing', async (context) => {
    const bytes = smallHeadCtNifti();
    const server = await serverReport(t, [{ name: 'ct.nii.gz', bytes }]);

    await signIn(page, t.url, t.token);
    page.on('request', (r) => {
      if (r.method() !== 'GET' && r.method() !== 'HEAD') posts.push(`${r.method()} ${r.url()}`);
    });
    await page.locator('input.local-files').setInputFiles({
      name: 'ct.nii.gz',
      mimeType: 'application/gzip',
      buffer: Buffer.from(bytes),
    });
    await page.locator('#app[data-local="done"]').waitFor({ timeout: 300_000 });
    const local = await page.evaluate(
      () =>
        (globalThis as unknown as { neurotriageLocal: { report: ReportJson; threads: number } })
          .neurotriageLocal,
    );
    context.diagnostic(
      `browser ${local.report.totalLesionMl} mL (${local.threads} threads, inference ${local.report.timingsMs.inference} ms); server ${server.totalLesionMl} mL (inference ${server.timingsMs.inference} ms)`,
    );
    assert.ok(server.totalLesionMl > 0, 'the fixture has a lesion');
    const difference = Math.abs(local.report.totalLesionMl - server.totalLesionMl);
    assert.ok(
      difference <= 0.01 * server.totalLesionMl,
      `browser ${local.report.totalLesionMl} mL vs server ${server.totalLesionMl} mL`,
    );
    assert.equal(local.report.triage.positive, server.triage.positive);
    for (const key of ['name', 'version', 'sha256'] as const)
      assert.equal(local.report.model[key], server.model[key]);
    assert.match(await page.locator('.case-header .notice').innerText(), /research use only/i);
    assert.match(await page.locator('.local-origin').innerText(), /nothing was uploaded/);
    assert.equal(await page.locator('.review-history').count(), 0);
    assert.deepEqual(posts, []);
    // Cross-origin isolated (the service's COOP/COEP): onnxruntime-web gets every core.
    const isolation = await page.evaluate(() => {
      const g = globalThis as unknown as {
        crossOriginIsolated: boolean;
        navigator: { hardwareConcurrency: number };
      };
      return { isolated: g.crossOriginIsolated, cores: g.navigator.hardwareConcurrency };
    });
    assert.equal(isolation.isolated, true);
    assert.equal(local.threads, isolation.cores);
  });

  it('reads a DICOM folder chosen with the folder picker as the service does', async () => {
    const slices = named(smallHeadCtDicom('viewer-local'));
    const server = await serverReport(t, slices);
    const dir = mkdtempSync(join(tmpdir(), 'nt-local-dicom-'));
    try {
      mkdirSync(join(dir, 'series'));
      for (const s of slices) writeFileSync(join(dir, 'series', s.name), s.bytes);
      await page.goto(`${t.url}/#/`);
      await page.locator('input.local-folder').waitFor();
      await page.evaluate(() => {
        const g = globalThis as unknown as {
          document: { getElementById(id: string): { dataset: Record<string, string> } };
        };
        delete g.document.getElementById('app').dataset.local;
      });
      await page.locator('input.local-folder').setInputFiles(join(dir, 'series'));
      await page.locator('#app[data-local="done"]').waitFor({ timeout: 300_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const local = await page.evaluate(
      () =>
        (globalThis as unknown as { neurotriageLocal: { report: ReportJson } }).neurotriageLocal,
    );
    assert.ok(
      Math.abs(local.report.totalLesionMl - server.totalLesionMl) <= 0.01 * server.totalLesionMl,
      `browser ${local.report.totalLesionMl} mL vs server ${server.totalLesionMl} mL`,
    );
    assert.equal(local.report.triage.positive, server.triage.positive);
    assert.deepEqual(posts, []);
  });
});
