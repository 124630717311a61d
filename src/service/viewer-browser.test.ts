/**
 * The web viewer (src/viewer) in headless Chromium against a real service: the worklist updates
 * when a study arrives by C-STORE (storescu), the case view renders the label overlay where the
 * lesion is (screenshot colours with the overlay on and off), and the CT window presets change
 * the image as their centre / width say.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { readNifti } from '../io/nifti/read-nifti.js';
import { freePort, runCommand, writeTempFiles } from './dimse/dimse-test-helpers.js';
import { type TestService, smallHeadCtDicom, startTestService } from './test-fixtures.js';
import {
  around,
  deepLesionVoxel,
  isGrey,
  jumpTo,
  labelRgb,
  launchBrowser,
  near,
  pixel,
  screenshotRgba,
  signIn,
} from './viewer-test-helpers.js';

const AE = 'NEUROTRIAGE';

describe('web viewer in a browser', { timeout: 300_000 }, () => {
  let t: TestService;
  let browser: Browser;
  let page: Page;
  let dicomPort: number;

  before(async () => {
    dicomPort = await freePort();
    t = await startTestService({ dicom: { aeTitle: AE, port: dicomPort, settleMs: 1000 } });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await t?.service.close();
  });

  it('serves the page without a token and the data only with one', async () => {
    const pageResponse = await fetch(`${t.url}/`);
    assert.equal(pageResponse.status, 200);
    assert.match(await pageResponse.text(), /Research use only/);
    assert.equal((await fetch(`${t.url}/worklist`)).status, 401);
    assert.equal((await fetch(`${t.url}/events`)).status, 401);
  });

  it('signs in, then shows a study sent by C-STORE without a reload', async () => {
    await signIn(page, t.url, t.token);
    assert.equal(await page.locator('tr.study').count(), 0);
    const sent = await runCommand('storescu', [
      '-aet',
      'MODALITY',
      '-aec',
      AE,
      '127.0.0.1',
      String(dicomPort),
      ...writeTempFiles(smallHeadCtDicom('viewer-test')),
    ]);
    assert.equal(sent.code, 0, sent.output);
    const row = page.locator('tr.study.status-done');
    await row.waitFor({ timeout: 180_000 });
    assert.match((await row.getAttribute('class')) ?? '', /positive/);
    assert.match(await row.locator('.model').innerText(), /neurotriage-ich/);
  });

  it('opens the case and draws the overlay in the label colour at the lesion', async () => {
    await page.locator('tr.study.status-done').click();
    await page.locator('#app[data-ready]').waitFor({ timeout: 60_000 });
    assert.match(await page.locator('.notice').innerText(), /research use only/i);
    assert.match(await page.locator('.case-header .model').innerText(), /sha256 [0-9a-f]{12}/);
    const [study] = (
      (await (await fetch(`${t.url}/worklist`, { headers: t.auth })).json()) as {
        studies: { id: string }[];
      }
    ).studies;
    const labelsBytes = new Uint8Array(
      await (
        await fetch(`${t.url}/studies/${study!.id}/outputs/labels.nii.gz`, { headers: t.auth })
      ).arrayBuffer(),
    );
    const { volumes } = readNifti(gunzipSync(labelsBytes));
    const lesion = deepLesionVoxel(volumes[0]!);
    const canvas = page.locator('canvas.view').first();
    const opacity = page.locator('input.opacity');
    await opacity.fill('1');
    const at = await jumpTo(page, lesion.rasMm);
    const on = await screenshotRgba(canvas);
    await opacity.fill('0');
    const off = await screenshotRgba(canvas);
    const colour = labelRgb(lesion.label);
    const onPixels = around(on, at, 6);
    const share = onPixels.filter((p) => near(p, colour)).length / onPixels.length;
    assert.ok(
      share > 0.9,
      `overlay on: ${(share * 100).toFixed(0)} % of the pixels at the lesion (${at}) in label ${lesion.label}'s colour ${colour}`,
    );
    assert.ok(around(off, at, 6).every(isGrey), 'overlay off: the scan is grey there');
    assert.ok(!near(pixel(on, 5, 5), colour), 'no overlay colour in the corner');
    // Outline mode: the inside of the lesion shows the scan, its border keeps the colour.
    await opacity.fill('1');
    await page.keyboard.press('o');
    const outlined = await screenshotRgba(canvas);
    const inside = around(outlined, at, 4);
    assert.ok(
      inside.filter(isGrey).length / inside.length > 0.8,
      'outline: the inside is the scan',
    );
    const wide = around(outlined, at, 120);
    assert.ok(
      wide.some((p) => near(p, colour)),
      'outline: the border is drawn',
    );
    await page.keyboard.press('o');
    await opacity.fill('0');
  });

  it('changes the image with the CT window presets (brain 40/80, bone 600/2800)', async () => {
    const canvas = page.locator('canvas.view').first();
    // The phantom's 70 HU blob (test-fixtures.ts) at LPS (12, -6, 4): RAS (-12, 6, 4); no label there.
    const at = await jumpTo(page, [-12, 6, 4]);
    const greyAt = async () => {
      const values = around(await screenshotRgba(canvas), at, 5).map(([r]) => r);
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    await page.locator('button.window-bone').click();
    const bone = await greyAt();
    await page.locator('button.window-brain').click();
    const brain = await greyAt();
    // 70 HU: brain window [0, 80] → 223 of 255; bone window [-800, 2000] → 79.
    assert.ok(
      Math.abs(brain - 223) < 25,
      `brain window: grey ${brain.toFixed(0)} at 70 HU, expected ≈ 223`,
    );
    assert.ok(
      Math.abs(bone - 79) < 25,
      `bone window: grey ${bone.toFixed(0)} at 70 HU, expected ≈ 79`,
    );
  });

  it('keeps accept, reject and an edited mask across a reload', async () => {
    const [study] = (
      (await (await fetch(`${t.url}/worklist`, { headers: t.auth })).json()) as {
        studies: { id: string }[];
      }
    ).studies;
    const reviews = async () =>
      (await (
        await fetch(`${t.url}/studies/${study!.id}/reviews`, { headers: t.auth })
      ).json()) as {
        version: number;
        kind: string;
        decision?: string;
        volumesMl?: Record<string, number>;
      }[];
    await page.locator('button.accept').click();
    await page.locator('.review-history li[data-version="1"]').waitFor();
    await page.locator('button.reject').click();
    await page.locator('.review-history li[data-version="2"]').waitFor();

    // Paint label 1 over the unlabelled 70 HU blob, then save the mask as version 3.
    await page.locator('button.window-brain').click();
    const at = await jumpTo(page, [-12, 6, 4]);
    await page.locator('button.edit-mask').click();
    await page.locator('button.pen[data-pen="1"]').click();
    await page.locator('canvas.view').first().scrollIntoViewIfNeeded();
    const box = (await page.locator('canvas.view').first().boundingBox())!;
    await page.mouse.move(box.x + at[0] - 15, box.y + at[1] - 15);
    await page.mouse.down();
    for (let k = -15; k <= 15; k += 3) await page.mouse.move(box.x + at[0] + k, box.y + at[1] + k);
    await page.mouse.up();
    await page.locator('button.save-mask').click();
    await page.locator('.review-history li[data-version="3"]').waitFor();
    const saved = await reviews();
    assert.deepEqual(
      saved.map((r) => [r.version, r.kind, r.decision ?? null]),
      [
        [1, 'decision', 'accept'],
        [2, 'decision', 'reject'],
        [3, 'mask', null],
      ],
    );
    const report = (await (
      await fetch(`${t.url}/studies/${study!.id}/report`, { headers: t.auth })
    ).json()) as { volumesMl: Record<string, number> };
    const [firstLabel] = Object.keys(report.volumesMl);
    assert.ok(
      saved[2]!.volumesMl![firstLabel!]! > report.volumesMl[firstLabel!]!,
      `painted ${firstLabel}: ${JSON.stringify(saved[2]!.volumesMl)} vs the result's ${JSON.stringify(report.volumesMl)}; canvas ${JSON.stringify(box)}, crosshair at ${at}`,
    );

    await page.reload();
    await page.locator('#app[data-ready]').waitFor({ timeout: 60_000 });
    // The history loads after the image is ready: wait for its last entry, then count.
    await page.locator('.review-history li[data-version="3"]').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('.review-history li').count(), 3);
    await page.locator('button.back').click();
    await page.locator('tr.study .review').first().waitFor();
    assert.match(await page.locator('tr.study .review').first().innerText(), /edited by test/);
  });

  it('fits a tablet-width window (the panel goes below the image)', async () => {
    await page.goto(`${t.url}/#/`);
    await page.locator('tr.study.status-done').first().click();
    await page.locator('canvas.view').first().waitFor();
    await page.setViewportSize({ width: 800, height: 1100 });
    const canvasBox = (await page.locator('canvas.view').first().boundingBox())!;
    const panelBox = (await page.locator('aside.panel').boundingBox())!;
    assert.ok(canvasBox.width > 700, `image ${canvasBox.width} px wide`);
    assert.ok(panelBox.y >= canvasBox.y + canvasBox.height - 1, 'panel under the image');
  });
});
