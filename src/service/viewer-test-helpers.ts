/**
 * The web viewer in a real browser for the tests: Debian's `chromium`, headless, driven by
 * `playwright-core`, WebGL through SwiftShader (no GPU), no network beyond loopback. Screenshots
 * come back as RGBA (io/png-decode.ts) to check colours where the lesion is.
 */
import { existsSync } from 'node:fs';
import { type Browser, type Locator, type Page, chromium } from 'playwright-core';
import { indexToWorld } from '../core/geometry.js';
import type { Volume } from '../core/volume.js';
import { type RgbaImage, decodePng } from '../io/png-decode.js';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: run scripts/system-deps.sh (installs Debian's chromium)`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--use-gl=angle',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--no-sandbox',
    ],
  });
}

/** Opens the viewer and signs in with the token; resolves when the worklist is shown. */
export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url);
  await page.locator('#token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('table.worklist').waitFor();
}

export async function screenshotRgba(target: Locator): Promise<RgbaImage> {
  return decodePng(new Uint8Array(await target.screenshot()));
}

export function pixel(image: RgbaImage, x: number, y: number): [number, number, number] {
  const i = (Math.round(y) * image.width + Math.round(x)) * 4;
  return [image.rgba[i]!, image.rgba[i + 1]!, image.rgba[i + 2]!];
}

/** Pixels in a square around (x, y), leaving out the crosshair's row and column. */
export function around(
  image: RgbaImage,
  centre: readonly [number, number],
  halfSize: number,
): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let dy = -halfSize; dy <= halfSize; dy++)
    for (let dx = -halfSize; dx <= halfSize; dx++)
      if (Math.abs(dx) > 2 && Math.abs(dy) > 2)
        out.push(pixel(image, centre[0] + dx, centre[1] + dy));
  return out;
}

export const isGrey = ([r, g, b]: readonly number[]): boolean =>
  Math.abs(r! - g!) < 12 && Math.abs(g! - b!) < 12;

/**
 * A lesion voxel deep inside its label (every voxel within ±1 in-plane and the slices above and
 * below has the same label), as RAS mm (NiiVue's world), with its label; the largest label
 * value's first such voxel in scan order. From the served labels.nii.gz, read with our reader.
 */
export function deepLesionVoxel(labels: Volume): {
  rasMm: [number, number, number];
  label: number;
} {
  const [nx, ny, nz] = labels.geometry.shape;
  const d = labels.data;
  const at = (x: number, y: number, z: number) => d[x + y * nx + z * nx * ny]!;
  for (let z = 1; z < nz - 1; z++)
    for (let y = 1; y < ny - 1; y++)
      for (let x = 1; x < nx - 1; x++) {
        const v = at(x, y, z);
        if (v === 0) continue;
        let inside = true;
        for (let dz = -1; dz <= 1 && inside; dz++)
          for (let dy = -1; dy <= 1 && inside; dy++)
            for (let dx = -1; dx <= 1 && inside; dx++) inside = at(x + dx, y + dy, z + dz) === v;
        if (!inside) continue;
        const [lx, ly, lz] = indexToWorld(labels.geometry, [x, y, z]);
        return { rasMm: [-lx, -ly, lz], label: v };
      }
  throw new Error('no lesion voxel with a full neighbourhood in the label map');
}

/** Moves the case view's crosshair to a RAS position; its canvas pixel position. */
export async function jumpTo(page: Page, rasMm: readonly number[]): Promise<[number, number]> {
  return page.evaluate((ras) => {
    const c = (globalThis as unknown as { neurotriageCase: CaseHandle }).neurotriageCase;
    c.viewer().jumpTo(ras);
    const nv = c.viewer().views[0]!;
    const p = nv.frac2canvasPos(nv.scene.crosshairPos)!;
    return [p[0]!, p[1]!] as [number, number];
  }, rasMm);
}

interface CaseHandle {
  viewer(): {
    jumpTo(ras: readonly number[]): void;
    views: { frac2canvasPos(f: unknown): number[] | null; scene: { crosshairPos: unknown } }[];
  };
}

/** Colour of a label value in the viewer (LABEL_COLOURS of src/viewer/app/case-viewer.ts). */
export function labelRgb(label: number): [number, number, number] {
  const colours: [number, number, number][] = [
    [255, 0, 0],
    [0, 255, 0],
    [0, 0, 255],
    [255, 255, 0],
    [0, 255, 255],
    [255, 0, 255],
  ];
  return colours[(label - 1) % colours.length]!;
}

export const near = (a: readonly number[], b: readonly number[], tolerance = 40): boolean =>
  a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);
