/**
 * Overlays of the best and worst cases for the evaluation report: the slice with most truth,
 * agreement in green, missed truth in red, false positives in blue, over the case's image when
 * the truth manifest names one.
 */
import { createLabelMap } from '../core/label-map.js';
import type { Volume } from '../core/volume.js';
import { encodePng } from '../io/png.js';
import { readNiftiFile } from '../io/nifti/nifti-file.js';
import type { Overlay } from '../render/evaluation-report.js';
import { busiestSlice, renderTile } from '../render/slice-view.js';
import type { LoadedCase } from './evaluate-one.js';

const MISSED = 1; // red
const FALSE_POSITIVE = 2; // blue
const AGREE = 4; // green

function window(image: Volume): [number, number] {
  let min = Infinity;
  for (let n = 0; n < image.data.length; n++) if (image.data[n]! < min) min = image.data[n]!;
  // CT (air at about −1000 HU): brain window.
  if (image.meta.modality === 'CT' || image.meta.units === 'HU' || min < -500) return [0, 80];
  const v = Float32Array.from(image.data)
    .filter((x) => x > 0)
    .sort();
  return [0, v.length ? v[Math.floor(0.995 * (v.length - 1))]! : 1];
}

function overlay(l: LoadedCase, caption: string): Overlay | undefined {
  const truth = readNiftiFile(l.source.truthPath).volumes[0];
  if (!truth) return undefined;
  const pred = l.source.predictionPath
    ? readNiftiFile(l.source.predictionPath).volumes[0]
    : undefined;
  const same = pred && pred.data.length === truth.data.length;
  const combined = new Uint8Array(truth.data.length);
  for (let n = 0; n < combined.length; n++) {
    const t = truth.data[n] !== 0;
    const p = same ? pred.data[n] !== 0 : false;
    combined[n] = t && p ? AGREE : t ? MISSED : p ? FALSE_POSITIVE : 0;
  }
  const map = createLabelMap(truth.geometry, combined, {
    1: 'missed',
    2: 'false positive',
    4: 'agreement',
  });
  const image = l.source.imagePath ? readNiftiFile(l.source.imagePath).volumes[0] : undefined;
  const base =
    image && image.data.length === truth.data.length
      ? image
      : { ...truth, data: new Float32Array(truth.data.length) };
  const tile = renderTile({
    image: base,
    label: map,
    slice: busiestSlice(
      createLabelMap(
        truth.geometry,
        Uint8Array.from(truth.data, (x) => (x ? 1 : 0)),
        { 1: 'truth' },
      ),
      truth.geometry.shape[2],
    ),
    window: image ? window(image) : [0, 1],
    size: 300,
    alpha: 0.55,
  });
  const png = encodePng({
    width: tile.width,
    height: tile.height,
    channels: 3,
    pixels: tile.pixels,
  });
  return { id: l.evaluation.id, caption, pngBase64: Buffer.from(png).toString('base64') };
}

/** Up to three best and three worst cases by Dice among cases with a truth lesion. */
export function evaluationOverlays(loaded: readonly LoadedCase[]): Overlay[] {
  const positives = loaded
    .filter((l) => l.evaluation.truthPositive)
    .sort((a, b) => b.evaluation.metrics.dice - a.evaluation.metrics.dice);
  const best = positives.slice(0, 3);
  const worst = positives.slice(Math.max(best.length, positives.length - 3)).reverse();
  const describe = (l: LoadedCase, kind: string) => {
    const m = l.evaluation.metrics;
    return `${kind}: ${l.evaluation.id} — Dice ${m.dice.toFixed(3)}, truth ${m.truthVolumeMl.toFixed(2)} mL, predicted ${m.predictedVolumeMl.toFixed(2)} mL`;
  };
  return [
    ...best.map((l) => overlay(l, describe(l, 'best'))),
    ...worst.map((l) => overlay(l, describe(l, 'worst'))),
  ].filter((o): o is Overlay => o !== undefined);
}
