/**
 * Real data for the registration tests, read from `../shared/data` (never copied here) and
 * prepared once per test process: the two templates, the ISLES'22 DWI/ADC, the GE head CT, the
 * Philips and UIH diffusion series (b0 and trace), and a few phantoms for failure cases.
 */
import { indexToWorld } from '../core/geometry.js';
import { createRng } from '../core/random.js';
import { type Volume, createVolume } from '../core/volume.js';
import { readNiftiFile } from '../io/nifti/nifti-file.js';
import { loadRegistrationTemplate } from '../io/registration-templates.js';
import { openCatalog, selectEntry } from '../io/series-catalog.js';
import { computeDiffusionMaps } from '../preprocess/diffusion-maps.js';
import { sharedDataPath } from '../testing/shared-data.js';
import { type PreparedTemplate, prepareTemplate } from './template-image.js';

const templates = new Map<string, PreparedTemplate>();
const raw = new Map<string, Volume>();

/** The template image itself (unprepared), e.g. to build a known-affine test case. */
export function templateImage(kind: 'ct' | 'mr'): Volume {
  let v = raw.get(kind);
  if (!v) {
    v = loadRegistrationTemplate(sharedDataPath(), kind).image;
    raw.set(kind, v);
  }
  return v;
}

export function preparedTemplate(kind: 'ct' | 'mr'): PreparedTemplate {
  let t = templates.get(kind);
  if (!t) {
    const { name, image } = loadRegistrationTemplate(sharedDataPath(), kind);
    t = prepareTemplate({ image, name, kind });
    templates.set(kind, t);
  }
  return t;
}

/** The skull-stripped CT template: the wrong template for a whole-head CT (a failure case). */
export function skullStrippedCtTemplate(): PreparedTemplate {
  let t = templates.get('ct-stripped');
  if (!t) {
    const path = sharedDataPath('templates', 'ct-older-adults', 'scct_stripped.nii.gz');
    const image = readNiftiFile(path).volumes[0];
    if (!image) throw new Error('no volume in scct_stripped.nii.gz');
    t = prepareTemplate({ image, name: 'ct-older-adults/scct_stripped', kind: 'ct' });
    templates.set('ct-stripped', t);
  }
  return t;
}

export function islesImage(name: 'dwi' | 'adc' | 'flair'): Volume {
  const v = readNiftiFile(sharedDataPath('cases', 'isles22-mca-example', `${name}.nii.gz`))
    .volumes[0];
  if (!v) throw new Error(`no volume in isles22-mca-example/${name}.nii.gz`);
  return v;
}

export async function realHeadCt(): Promise<Volume> {
  const entry = selectEntry(openCatalog(sharedDataPath('dicom', 'ct-head-ge-tilt', 'dicom')));
  const v = (await entry.load()).volumes[0];
  if (!v) throw new Error('the GE head CT loaded no volume');
  return v;
}

/** Mean b0 and trace image of a real diffusion series (`dwi-philips`, `dwi-uih`). */
export async function diffusionMaps(name: string): Promise<{ b0: Volume; trace: Volume }> {
  const series = await selectEntry(openCatalog(sharedDataPath('dicom', name, 'dicom'))).load();
  const maps = computeDiffusionMaps({
    volumes: series.volumes,
    bValues: series.diffusion.map((d) => d?.bValue ?? 0),
  });
  return { b0: maps.b0, trace: maps.trace };
}

/** Uniform noise on the grid of `like`. */
export function noiseLike(like: Volume, seed = 3): Volume {
  const rng = createRng(seed);
  const data = new Float32Array(like.data.length);
  for (let n = 0; n < data.length; n++) data[n] = rng.uniform(0, 500);
  return createVolume(like.geometry, data, like.meta);
}

/** The same voxels with the order reversed along the given voxel axes (header unchanged). */
export function flipVoxels(volume: Volume, axes: readonly (0 | 1 | 2)[]): Volume {
  const [nx, ny, nz] = volume.geometry.shape;
  const Ctor = volume.data.constructor as new (n: number) => Volume['data'];
  const out = new Ctor(volume.data.length);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const a = axes.includes(0) ? nx - 1 - i : i;
        const b = axes.includes(1) ? ny - 1 - j : j;
        const c = axes.includes(2) ? nz - 1 - k : k;
        out[i + nx * (j + ny * k)] = volume.data[a + nx * (b + ny * c)]!;
      }
  return createVolume(volume.geometry, out, volume.meta);
}

/** A head-sized uniform ellipsoid (radii 70, 85, 60 mm) with noise: the right outline, no anatomy. */
export function ellipsoidLike(like: Volume): Volume {
  const g = like.geometry;
  const [nx, ny, nz] = g.shape;
  const centre = indexToWorld(g, [(nx - 1) / 2, (ny - 1) / 2, (nz - 1) / 2]);
  const rng = createRng(5);
  const data = new Float32Array(like.data.length);
  let n = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, n++) {
        const p = indexToWorld(g, [i, j, k]);
        const x = (p[0] - centre[0]) / 70;
        const y = (p[1] - centre[1]) / 85;
        const z = (p[2] - centre[2]) / 60;
        data[n] = x * x + y * y + z * z < 1 ? 100 + rng.normal(0, 10) : rng.uniform(0, 5);
      }
  return createVolume(g, data, like.meta);
}
