/**
 * Renders the noiseless CT of a case on its output grid: skull, scalp and air from the template
 * (undisplaced positions), brain from the tissue priors and lesions/mimics from the scene (brain
 * positions, displaced by mass effect). Thick slices get partial volume of lesions and of the skull by averaging
 * sub-slice samples of the scene. Returns the HU image and the label map data.
 */
import type { CtAnatomy } from '../resources.js';
import type { TemplateMap } from '../sampling.js';
import { evaluateField } from '../smooth-field.js';
import { type TissueHu, brainHu, headHu } from './ct-anatomy.js';
import { type GyralPattern, sulcusAt } from './ct-gyri.js';
import type { CodeAppearance } from './ct-lesion-appearance.js';
import { CODE, MAX_LABEL_CODE, type Scene } from './ct-scene.js';
import { CHANNEL, prepareCtTemplate, samplePacked } from './ct-template.js';

export interface RenderInput {
  readonly ct: CtAnatomy;
  /** Undisplaced template positions (skull, scalp). */
  readonly headMap: TemplateMap;
  /** Brain positions (displaced by mass effect; may be the same map). */
  readonly brainMap: TemplateMap;
  readonly scene: Scene;
  readonly tissue: TissueHu;
  /** Gyri and sulci over the template's smooth cortex (none: the template as it is). */
  readonly gyri?: GyralPattern;
  readonly appearance: CodeAppearance;
  /** Number of sub-slice samples for partial volume (1 = none) and their spread (fraction of a slice step). */
  readonly subSamples: number;
  readonly subSpread: number;
}

export interface Rendered {
  readonly hu: Float32Array;
  readonly label: Uint8Array;
  /** Intracranial fraction per voxel (for artefacts). */
  readonly intracranial: Float32Array;
}

/**
 * Weight of the brain against the skull at an intracranial fraction `b` of the (averaged,
 * blurred) template: a steep ramp from 0.3 to 0.65, so the inner table is ~3 mm sharp as on real
 * CT instead of the template's ~10 mm blur (which hid the top 1–2 brain slices under the
 * vertex in a shell of 100–150 HU).
 */
export function innerTableWeight(b: number): number {
  const w = (b - 0.3) / 0.35;
  return w <= 0 ? 0 : w >= 1 ? 1 : w;
}

/**
 * Vector (mm, in `positionsMm`'s space) from voxel `v` to the same voxel of the next slice (from
 * the previous one on the last slice), scaled by `f`; written into `out`.
 */
function sliceStep(
  positionsMm: Float32Array,
  shape: readonly [number, number, number],
  v: number,
  f: number,
  out: Float64Array,
): void {
  const nxy = shape[0] * shape[1];
  const k = Math.floor(v / nxy);
  const step = k + 1 < shape[2] ? nxy : -nxy;
  const g = step > 0 ? f : -f;
  for (let a = 0; a < 3; a++)
    out[a] = (positionsMm[3 * (v + step) + a]! - positionsMm[3 * v + a]!) * g;
}

/**
 * Partial volume of the head (skull, scalp) across a thick slice, for intracranial voxels: the
 * head template is sampled at the sub-slice positions, and per voxel the summed intracranial
 * weight and summed outside HU are returned. Where a slice cuts the skull tangentially (vertex,
 * skull base, orbital roofs) the brain under it reads brighter — a real-CT appearance that
 * detectors must not call blood.
 */
function headPartialVolume(
  input: RenderInput,
  prepared: ReturnType<typeof prepareCtTemplate>,
  centre: { head: Float32Array; ic: Float32Array },
): { weight: Float32Array; outsideHu: Float32Array } {
  const pos = input.headMap.positionsMm;
  const shape = input.headMap.grid.shape;
  const n = shape[0] * shape[1] * shape[2];
  const subs = input.subSamples;
  const half = (subs - 1) / 2;
  const weight = new Float32Array(n);
  const outsideHu = new Float32Array(n);
  const add = (head: Float32Array, ic: Float32Array): void => {
    for (let v = 0; v < n; v++) {
      if (!(centre.ic[v]! > 0)) continue;
      const wIn = innerTableWeight(ic[v]!);
      weight[v] = weight[v]! + wIn;
      outsideHu[v] = outsideHu[v]! + (1 - wIn) * headHu(input.tissue, head[v]!);
    }
  };
  add(centre.head, centre.ic);
  const shifted = new Float32Array(pos.length);
  const d = new Float64Array(3);
  for (let s = 0; s < subs; s++) {
    const t = s - half;
    if (t === 0) continue;
    const f = (t / half) * input.subSpread;
    // Only intracranial voxels are sampled (the mask below); the others keep no position.
    for (let v = 0; v < n; v++) {
      if (!(centre.ic[v]! > 0)) continue;
      sliceStep(pos, shape, v, f, d);
      for (let a = 0; a < 3; a++) shifted[3 * v + a] = pos[3 * v + a]! + d[a]!;
    }
    const [head, ic] = samplePacked(prepared, shifted, CHANNEL.HU, 2, centre.ic);
    if (!head || !ic) throw new Error('template sampling failed');
    add(head, ic);
  }
  return { weight, outsideHu };
}

export function renderCt(input: RenderInput): Rendered {
  const prepared = prepareCtTemplate(input.ct);
  const [head, ic] = samplePacked(prepared, input.headMap.positionsMm, CHANNEL.HU, 2);
  if (!ic) throw new Error('template sampling failed');
  const [g, w, c] = samplePacked(prepared, input.brainMap.positionsMm, CHANNEL.GREY, 3, ic);
  if (!head || !ic || !g || !w || !c) throw new Error('template sampling failed');
  const pv = input.subSamples > 1 ? headPartialVolume(input, prepared, { head, ic }) : undefined;
  const pos = input.brainMap.positionsMm;
  const [nx, ny, nz] = input.brainMap.grid.shape;
  const n = nx * ny * nz;
  const hu = new Float32Array(n);
  const label = new Uint8Array(n);
  const { tissue, appearance, scene } = input;
  const sd = scene.volume.data;
  const [sx, sy, sz] = scene.shape;
  const [mx, my, mz] = scene.minMm;
  const codeAt = (x: number, y: number, z: number): number => {
    const i = Math.round(x - mx);
    const j = Math.round(y - my);
    const k = Math.round(z - mz);
    if (i < 0 || j < 0 || k < 0 || i >= sx || j >= sy || k >= sz) return 0;
    return sd[i + sx * (j + sy * k)]!;
  };
  const lesionHu = (code: number, x: number, y: number, z: number, brain: number): number => {
    const f = evaluateField(appearance.field, (x - mx) / sx, (y - my) / sy, (z - mz) / sz);
    const base = code === CODE.OEDEMA ? brain - appearance.oedemaDropHu : appearance.hu[code]!;
    return base + f * appearance.heterogeneityHu[code]!;
  };
  const subs = Math.max(1, input.subSamples);
  const step = new Float64Array(3);
  for (let v = 0; v < n; v++) {
    const b = ic[v]!;
    const outside = headHu(tissue, head[v]!);
    if (!(b > 0)) {
      hu[v] = outside;
      continue;
    }
    const x = pos[3 * v]!;
    const y = pos[3 * v + 1]!;
    const z = pos[3 * v + 2]!;
    const sulcus = input.gyri ? sulcusAt(input.gyri, x, y, z) : 0;
    const brain = brainHu(tissue, g[v]!, w[v]!, c[v]!, z, sulcus);
    const code = b > 0.5 ? codeAt(x, y, z) : 0;
    if (code <= MAX_LABEL_CODE) label[v] = code;
    let inside = brain;
    if (subs === 1 || b <= 0.5) {
      if (code) inside = lesionHu(code, x, y, z, brain);
    } else {
      // Partial volume across a thick slice: sub-samples along the slice direction.
      sliceStep(pos, input.brainMap.grid.shape, v, input.subSpread, step);
      const dx = step[0]!;
      const dy = step[1]!;
      const dz = step[2]!;
      let sum = code ? lesionHu(code, x, y, z, brain) : brain;
      const half = (subs - 1) / 2;
      for (let s = 0; s < subs; s++) {
        const t = s - half;
        if (t === 0) continue;
        const f = t / half;
        const px = x + dx * f;
        const py = y + dy * f;
        const pz = z + dz * f;
        const sc = codeAt(px, py, pz);
        sum += sc ? lesionHu(sc, px, py, pz, brain) : brain;
      }
      inside = sum / subs;
    }
    if (pv) {
      hu[v] = (pv.weight[v]! * inside + pv.outsideHu[v]!) / subs;
      continue;
    }
    const wIn = innerTableWeight(b);
    hu[v] = wIn * inside + (1 - wIn) * outside;
  }
  return { hu, label, intracranial: ic };
}
