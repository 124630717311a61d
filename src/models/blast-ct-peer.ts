/**
 * The BLAST-CT v1 peer (../shared/data/peers/blast-ct-v1, DeepMedic, one ensemble member), run
 * the way its config says so that we can measure ourselves against it on the same CT:
 * the CT on a 1 mm axis-aligned LPS grid over the head, clipped to [−15, 100] HU and scaled to
 * [−1, 1]; tiles of 155³ in, the centre 75³ out (logits for background, IPH, extra-axial,
 * oedema, IVH), tiled without overlap; argmax; labels mapped back to the native grid.
 * Only the tiling and the preprocessing are ours; the network is theirs.
 */
import { resample } from '../core/resample.js';
import type { Volume } from '../core/volume.js';
import { headBoundingBox, modelGridForBox } from '../preprocess/model-grid.js';
import { mapPredictionToNative } from '../preprocess/model-input.js';

export const BLAST_CT_CLASSES = ['background', 'IPH', 'extra-axial', 'oedema', 'IVH'] as const;
export const BLAST_CT_IN = 155;
export const BLAST_CT_OUT = 75;
const LOWER_HU = -15;
const UPPER_HU = 100;

/** Runs the peer network on [1, 1, 155, 155, 155]; returns logits [1, 5, 75, 75, 75]. */
export type PeerRun = (
  input: Float32Array,
  shape: readonly [1, 1, number, number, number],
) => Promise<Float32Array>;

export interface BlastCtResult {
  /** 0..4 as in BLAST_CT_CLASSES, on the CT's native grid. */
  readonly labelsNative: Uint8Array;
  readonly tiles: number;
  /** Tiles the network ran on (the others hold no tissue). */
  readonly tilesRun: number;
}

export async function runBlastCt(options: {
  readonly ct: Volume;
  readonly run: PeerRun;
  readonly onProgress?: (done: number, total: number) => void;
}): Promise<BlastCtResult> {
  const box = headBoundingBox(options.ct, { threshold: -300, fillValue: -1024 });
  if (!box) throw new Error('BLAST-CT peer: no head found in the CT');
  const grid = modelGridForBox({
    box,
    spacingMm: [1, 1, 1],
    marginMm: 4,
    multipleOf: BLAST_CT_OUT,
  });
  const image = resample(options.ct, {
    target: grid,
    interpolation: 'linear',
    fillValue: -1024,
  }).data;
  const [nx, ny, nz] = grid.shape;
  const scaled = new Float32Array(image.length);
  for (let v = 0; v < image.length; v++) {
    const hu = Math.min(UPPER_HU, Math.max(LOWER_HU, image[v]!));
    scaled[v] = ((hu - LOWER_HU) / (UPPER_HU - LOWER_HU)) * 2 - 1;
  }
  const labels = new Uint8Array(image.length);
  const margin = (BLAST_CT_IN - BLAST_CT_OUT) / 2;
  const tiles = (nx / BLAST_CT_OUT) * (ny / BLAST_CT_OUT) * (nz / BLAST_CT_OUT);
  const input = new Float32Array(BLAST_CT_IN ** 3);
  const out3 = BLAST_CT_OUT ** 3;
  let done = 0;
  let ran = 0;
  for (let z0 = 0; z0 < nz; z0 += BLAST_CT_OUT)
    for (let y0 = 0; y0 < ny; y0 += BLAST_CT_OUT)
      for (let x0 = 0; x0 < nx; x0 += BLAST_CT_OUT) {
        // A tile whose centre holds no tissue (all ≤ −15 HU) stays background, as the peer
        // would call it anyway: skipping it only saves time.
        if (!hasTissue({ scaled, shape: grid.shape, start: [x0, y0, z0] })) {
          options.onProgress?.(++done, tiles);
          continue;
        }
        // Input tile [z, y, x] centred on the output tile; −1 (≤ −15 HU) outside the grid.
        for (let c = 0; c < BLAST_CT_IN; c++)
          for (let b = 0; b < BLAST_CT_IN; b++)
            for (let a = 0; a < BLAST_CT_IN; a++) {
              const x = x0 - margin + a;
              const y = y0 - margin + b;
              const z = z0 - margin + c;
              input[a + BLAST_CT_IN * (b + BLAST_CT_IN * c)] =
                x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz
                  ? -1
                  : scaled[x + nx * (y + ny * z)]!;
            }
        ran++;
        const logits = await options.run(input, [1, 1, BLAST_CT_IN, BLAST_CT_IN, BLAST_CT_IN]);
        for (let c = 0; c < BLAST_CT_OUT; c++)
          for (let b = 0; b < BLAST_CT_OUT; b++)
            for (let a = 0; a < BLAST_CT_OUT; a++) {
              const t = a + BLAST_CT_OUT * (b + BLAST_CT_OUT * c);
              let best = 0;
              for (let k = 1; k < BLAST_CT_CLASSES.length; k++)
                if (logits[k * out3 + t]! > logits[best * out3 + t]!) best = k;
              labels[x0 + a + nx * (y0 + b + ny * (z0 + c))] = best;
            }
        options.onProgress?.(++done, tiles);
      }
  return {
    labelsNative: mapPredictionToNative({ prediction: labels, grid, native: options.ct.geometry }),
    tiles,
    tilesRun: ran,
  };
}

function hasTissue(options: {
  scaled: Float32Array;
  shape: readonly number[];
  start: readonly [number, number, number];
}): boolean {
  const [nx, ny] = options.shape as [number, number];
  const [x0, y0, z0] = options.start;
  for (let c = 0; c < BLAST_CT_OUT; c++)
    for (let b = 0; b < BLAST_CT_OUT; b++)
      for (let a = 0; a < BLAST_CT_OUT; a++)
        if (options.scaled[x0 + a + nx * (y0 + b + ny * (z0 + c))]! > -1) return true;
  return false;
}
