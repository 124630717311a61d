/**
 * The monitoring page of the web viewer (`#/monitoring`, issue 25) in headless Chromium: two
 * analysed studies (a NIfTI upload, unknown scanner, positive; the all-air synthetic DICOM "CT",
 * not assessable) → the page, opened from the worklist's "Monitoring" button, shows per scanner
 * and week the same counts and medians as `GET /monitoring`; the not-assessable scanner's row is
 * highlighted (100 % not assessable, above 20 %), the other not; "back to the worklist" returns;
 * without a token the page is the login page.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { MonitoringRow } from './monitoring.js';
import {
  type TestService,
  airCtDicom,
  named,
  smallHeadCtNifti,
  startTestService,
  upload,
  waitFinished,
} from './test-fixtures.js';
import { launchBrowser, signIn } from './viewer-test-helpers.js';

describe('web viewer: the monitoring page', { timeout: 300_000 }, () => {
  let t: TestService;
  let browser: Browser;
  let page: Page;

  before(async () => {
    t = await startTestService();
    const positive = await upload(t, [{ name: 'ct.nii.gz', bytes: smallHeadCtNifti() }]);
    const air = await upload(t, named(airCtDicom('viewer-monitoring')));
    const states = [];
    for (const sent of [positive, air])
      states.push((await waitFinished(t, sent.body.id)).result?.state);
    assert.deepEqual(states, ['positive', 'not assessable']);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, t.url, t.token);
  });

  after(async () => {
    await browser?.close();
    await t?.service.close();
    rmSync(t.dataDir, { recursive: true, force: true });
  });

  it('shows the counts of GET /monitoring per scanner and week', async () => {
    const r = await fetch(`${t.url}/monitoring`, { headers: t.auth });
    const { rows } = (await r.json()) as { rows: MonitoringRow[] };
    // The synthetic DICOM names its manufacturer; the NIfTI upload is an unknown scanner.
    assert.deepEqual(
      rows.map((row) => [row.manufacturer, row.positive, row.notAssessable]),
      [
        ['NeuroTriage synthetic', 0, 1],
        [null, 1, 0],
      ],
    );

    await page.getByRole('button', { name: 'Monitoring' }).click();
    const shown = page.locator('table.monitoring tr.scanner-week');
    await shown.first().waitFor({ timeout: 30_000 });
    assert.equal(await shown.count(), rows.length);
    assert.ok(page.url().endsWith('#/monitoring'));
    assert.match(await page.locator('main').innerText(), /Research use only; not a medical device/);

    for (const [i, expected] of rows.entries()) {
      const row = shown.nth(i);
      const cell = (name: string) => row.locator(`td.${name}`).innerText();
      assert.equal(await cell('manufacturer'), expected.manufacturer ?? 'unknown');
      assert.equal(await cell('model'), expected.model ?? 'unknown');
      assert.equal(await cell('station'), expected.station ?? 'unknown');
      assert.equal(await cell('week'), expected.week);
      assert.equal(await cell('studies'), '1');
      assert.equal(await cell('positive'), String(expected.positive));
      assert.equal(await cell('negative'), String(expected.negative));
      assert.equal(await cell('negative'), '0', 'zero shown as 0');
      assert.equal(await cell('not-assessable'), String(expected.notAssessable));
      assert.equal(await cell('not-analysed'), String(expected.notAnalysed));
      assert.equal(await cell('failed'), String(expected.failed));
      assert.equal(await cell('pending'), String(expected.pending));
      assert.equal(await cell('volume'), expected.medianPositiveLesionMl?.toFixed(1) ?? '–');
      const seconds = expected.medianSecondsToResult!;
      const time = seconds < 120 ? `${Math.round(seconds)} s` : `${(seconds / 60).toFixed(1)} min`;
      assert.equal(await cell('time'), time);
    }
    const drift = await shown.evaluateAll((trs) => trs.map((tr) => tr.classList.contains('drift')));
    assert.deepEqual(drift, [true, false], 'all not assessable (> 20 %) vs. a positive');
    assert.match(await page.locator('table.monitoring caption').innerText(), /more than 20 %/);
  });

  it('goes back to the worklist', async () => {
    await page.getByRole('button', { name: 'back to the worklist' }).click();
    await page.locator('table.worklist').waitFor();
    assert.ok(page.url().endsWith('#/'));
  });

  it('needs a login: without a token it is the login page', async () => {
    const context = await browser.newContext();
    const fresh = await context.newPage();
    await fresh.goto(`${t.url}/#/monitoring`);
    await fresh.locator('#token').waitFor();
    assert.ok(fresh.url().endsWith('#/login'));
    assert.equal(await fresh.locator('table.monitoring').count(), 0);
    await context.close();
  });
});
