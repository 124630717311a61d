// The README's pictures of the web viewer, `npm run screenshots:viewer` (after `npm run build`):
// an in-process service on a free port (src/service/test-fixtures.ts), three studies uploaded —
// the real ISLES'22 example (DWI + ADC), the real normal head CT (GE, tilted gantry: its DICOM series, as a PACS sends it) and
// the service tests' small CT phantom — then the worklist and the ISLES case view in headless
// Chromium, written to docs/images/viewer-worklist.png and docs/images/viewer-case.png.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  smallHeadCtDicom,
  startTestService,
  upload,
  waitFinished,
} from '../dist/src/service/test-fixtures.js';
import { launchBrowser, signIn } from '../dist/src/service/viewer-test-helpers.js';

const data = join('..', 'shared', 'data');
const files = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => ({
      name: d.name,
      bytes: new Uint8Array(readFileSync(join(d.parentPath, d.name))),
    }));

const t = await startTestService({ workers: 1, threadsPerWorker: 2 });
try {
  const isles = join(data, 'cases', 'isles22-mca-example');
  const studies = [
    [
      'ISLES22 example',
      ['dwi.nii.gz', 'adc.nii.gz'].map((n) => ({
        name: n,
        bytes: new Uint8Array(readFileSync(join(isles, n))),
      })),
    ],
    ['real normal CT', files(join(data, 'dicom', 'ct-head-ge-tilt', 'dicom'))],
    [
      'CT phantom',
      smallHeadCtDicom('screenshots').map((bytes, i) => ({ name: `ct${i}.dcm`, bytes })),
    ],
  ];
  const ids = [];
  for (const [label, f] of studies) {
    const sent = await upload(t, f);
    if (sent.status >= 300) throw new Error(`${label}: ${sent.status} ${sent.body.error}`);
    ids.push(sent.body.id);
  }
  for (const id of ids) {
    const s = await waitFinished(t, id, 600_000);
    console.log(`${s.status} ${s.result?.summary ?? s.reason}`);
  }
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await signIn(page, t.url, t.token);
  await page
    .locator('tr.study.status-done')
    .nth(ids.length - 1)
    .waitFor();
  await page.screenshot({ path: join('docs', 'images', 'viewer-worklist.png') });
  await page.goto(`${t.url}/#/case/${ids[0]}`);
  await page.locator('#app[data-ready]').waitFor({ timeout: 120_000 });
  await page.locator('.lesions li').first().click();
  await page.locator('button.side-by-side').click();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join('docs', 'images', 'viewer-case.png') });
  await browser.close();
  console.log('wrote docs/images/viewer-worklist.png, docs/images/viewer-case.png');
} finally {
  await t.service.close();
}
