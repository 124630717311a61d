/**
 * The real normal diffusion scans of the shared data as synthesis backgrounds: every
 * `dicom/dwi-*` folder whose DICOM holds a series with b0 and b>0 volumes (found by listing, so
 * a new scanner joins by being added), reduced to S0, ADC and b-value the way `analyze` reads
 * them (`computeDiffusionMaps`), and registered to MNI (the trace, as analyze registers it).
 * Scans of under 10 slices (a 2-slice test series) or whose registration fails are skipped, said
 * in `skipped`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadRegistrationTemplate } from '../io/registration-templates.js';
import { openCatalog } from '../io/series-catalog.js';
import { computeDiffusionMaps } from '../preprocess/diffusion-maps.js';
import { registerToTemplate } from '../registration/register-affine.js';
import { prepareTemplate } from '../registration/template-image.js';
import type { DiffusionBackground } from '../synth/mr/real-background-case.js';

/** Registration similarity accepted for a background (analyze's MR bar is 0.15). */
export const BACKGROUND_MIN_SCORE = 0.12;

export interface LoadedBackgrounds {
  readonly backgrounds: DiffusionBackground[];
  readonly skipped: { name: string; reason: string }[];
}

/** Names ('dicom/dwi-…') of the candidate background folders under the data root. */
export function backgroundFolders(root: string): string[] {
  const dir = join(root, 'dicom');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => d.startsWith('dwi-') && existsSync(join(dir, d, 'dicom')))
    .sort()
    .map((d) => `dicom/${d}`);
}

export async function loadDiffusionBackgrounds(options: {
  readonly root: string;
  /** Folder names to leave out (held-out scanners), e.g. ['dicom/dwi-siemens-xa30']. */
  readonly exclude?: readonly string[];
  /** Only these folders (e.g. the held-out scanner, to make its test cases). */
  readonly only?: readonly string[];
  readonly onLoaded?: (name: string) => void;
}): Promise<LoadedBackgrounds> {
  const templateImage = loadRegistrationTemplate(options.root, 'mr');
  const template = prepareTemplate({
    image: templateImage.image,
    name: templateImage.name,
    kind: 'mr',
  });
  const backgrounds: DiffusionBackground[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const name of backgroundFolders(options.root)) {
    if (options.exclude?.includes(name)) continue;
    if (options.only && !options.only.includes(name)) continue;
    const catalog = openCatalog(join(options.root, name, 'dicom'));
    const diffusion = catalog.entries.filter((e) => {
      const b = e.summary.bValues ?? [];
      return b.some((x) => x < 50) && b.some((x) => x >= 50);
    });
    diffusion.sort((a, b) => (b.summary.images ?? 0) - (a.summary.images ?? 0));
    const entry = diffusion[0];
    if (!entry) {
      skipped.push({ name, reason: 'no series with b0 and b>0 volumes' });
      continue;
    }
    const loaded = await entry.load();
    const maps = computeDiffusionMaps({
      volumes: loaded.volumes,
      bValues: loaded.diffusion.map((d) => d?.bValue ?? 0),
      kinds: loaded.diffusion.map((d) => d?.kind ?? 'unknown'),
    });
    if (maps.trace.geometry.shape[2] < 10) {
      skipped.push({ name, reason: `${maps.trace.geometry.shape[2]} slices` });
      continue;
    }
    // A background only needs lesions to land in the right region (they are also confined to
    // the scan's own parenchyma), so a similarity a little under analyze's bar is accepted:
    // the Siemens b2500 scan (pons to vertex, 39 slices) reaches 0.147 against the MR bar 0.15.
    const reg = registerToTemplate({
      patient: maps.trace,
      template,
      acceptance: { minScore: BACKGROUND_MIN_SCORE },
    });
    if (!reg.ok) {
      skipped.push({ name, reason: `registration to MNI failed: ${reg.failureReason ?? ''}` });
      continue;
    }
    const adc1e6 = new Float32Array(maps.adc.data.length);
    for (let v = 0; v < adc1e6.length; v++) adc1e6[v] = maps.adc.data[v]! * 1e6;
    backgrounds.push({
      name,
      s0: maps.b0,
      adc1e6,
      trace: maps.trace.data,
      bValue: maps.bValue,
      patientToTemplate: reg.patientToTemplate,
    });
    options.onLoaded?.(name);
  }
  return { backgrounds, skipped };
}
