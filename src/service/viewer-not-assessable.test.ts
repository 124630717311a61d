/**
 * The web viewer (src/viewer) in headless Chromium with a study NeuroTriage could not judge
 * (issue 25; the all-air "CT": no head, registration fails): the worklist row is marked
 * not-assessable in amber and says "Not assessable: <first reason>", never "no lesion found";
 * the case header says NOT ASSESSABLE and lists the reasons.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  type TestService,
  airCtDicom,
  named,
  startTestService,
  upload,
  waitFinished,
} from './test-fixtures.js';
import { launchBrowser, signIn } from './viewer-test-helpers.js';

describe('web viewer: a not-assessable study', { timeout: 300_000 }, () => {
  let t: TestService;
  let browser: Browser;
  let page: Page;

  before(async () => {
    t = await startTestService();
    const sent = await upload(t, named(airCtDicom('viewer-not-assessable')));
    const study = await waitFinished(t, sent.body.id);
    assert.equal(study.result?.state, 'not assessable');
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, t.url, t.token);
  });

  after(async () => {
    await browser?.close();
    await t?.service.close();
    rmSync(t.dataDir, { recursive: true, force: true });
  });

  it('marks the worklist row not assessable, in amber, with the first reason', async () => {
    const row = page.locator('tr.study.status-done');
    await row.waitFor({ timeout: 30_000 });
    assert.match((await row.getAttribute('class')) ?? '', /\bnot-assessable\b/);
    const finding = row.locator('.finding');
    assert.match(await finding.innerText(), /^Not assessable: registration to the .* failed/);
    assert.doesNotMatch(await row.innerText(), /no lesion found/i);
    const colour = await finding.evaluate(
      (e) =>
        (
          globalThis as unknown as { getComputedStyle: (n: unknown) => { color: string } }
        ).getComputedStyle(e).color,
    );
    assert.equal(colour, 'rgb(255, 179, 0)', 'amber');
  });

  it('says NOT ASSESSABLE in the case header and lists the reasons', async () => {
    await page.locator('tr.study.status-done').click();
    const header = page.locator('header.case-header.not-assessable');
    await header.waitFor({ timeout: 60_000 });
    assert.match(await header.locator('.assessment-title').innerText(), /NOT ASSESSABLE/);
    const reasons = await header.locator('.reasons li').allInnerTexts();
    assert.ok(reasons.length >= 1);
    assert.match(reasons[0]!, /^registration to the .* failed/);
  });
});
