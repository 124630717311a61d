/**
 * Gyri and sulci. The CT template is an average of many heads, so its cortex is a smooth blur of
 * grey matter and CSF (40–60 % CSF over the convexity) where a real head CT shows gyri with thin
 * CSF-filled sulci between them. A model trained on the blur has never seen a bright gyral crown
 * against the inner table, and on our real GE head CT it painted those crowns at the vertex as a
 * subdural rim. Here a random smooth field's zero level set (a network of surfaces ~6 mm apart)
 * becomes sulci: CSF is moved from the gyri into the clefts, within the cortical band only, with
 * the band's total CSF kept on average.
 */
import type { Rng } from '../../core/random.js';
import type { Vec3 } from '../../core/vec.js';
import { type SmoothField, evaluateField, randomSmoothField } from '../smooth-field.js';

export interface GyralPattern {
  readonly field: SmoothField;
  /** LPS mm of the field box's corner and its size. */
  readonly minMm: Vec3;
  readonly sizeMm: Vec3;
  /** Half-width of a sulcus in field units (field values are ~N(0, 0.5²)). */
  readonly cleftWidth: number;
  /** Fraction of the cortical band's CSF/grey mix that is redistributed (0–1). */
  readonly strength: number;
  /** Mean sulcus indicator over the box (so that the redistribution has mean ~0). */
  readonly meanIndicator: number;
}

export interface GyralOptions {
  /** Box the field covers (template LPS mm). */
  readonly minMm: Vec3;
  readonly sizeMm: Vec3;
  /** Distance between the field's control points, mm (default: drawn in 5–7). */
  readonly spacingMm?: number;
  /** Strength (default: drawn in 0.7–1; 0 gives the smooth template). */
  readonly strength?: number;
}

export function drawGyralPattern(rng: Rng, options: GyralOptions): GyralPattern {
  const spacingMm = options.spacingMm ?? rng.uniform(5, 7);
  const field = randomSmoothField(rng, {
    controlPoints: options.sizeMm.map((s) => Math.ceil(s / spacingMm) + 1) as unknown as Vec3,
  });
  const cleftWidth = rng.uniform(0.3, 0.5);
  const strength = options.strength ?? rng.uniform(0.7, 1);
  let sum = 0;
  const samples = 4000;
  for (let i = 0; i < samples; i++)
    sum += indicator(evaluateField(field, rng.next(), rng.next(), rng.next()), cleftWidth);
  return {
    field,
    minMm: options.minMm,
    sizeMm: options.sizeMm,
    cleftWidth,
    strength,
    meanIndicator: sum / samples,
  };
}

function indicator(f: number, width: number): number {
  const r = f / width;
  return Math.exp(-r * r);
}

/**
 * Signed sulcus strength at a template point, from −strength·s̄/(1−s̄) on a gyrus to +strength
 * deep in a sulcus (s̄ = `meanIndicator`), mean 0. `brainHu` scales it by the local grey/CSF mix.
 */
export function sulcusAt(p: GyralPattern, x: number, y: number, z: number): number {
  if (!(p.strength > 0)) return 0;
  const f = evaluateField(
    p.field,
    (x - p.minMm[0]) / p.sizeMm[0],
    (y - p.minMm[1]) / p.sizeMm[1],
    (z - p.minMm[2]) / p.sizeMm[2],
  );
  const s = indicator(f, p.cleftWidth);
  // Scale so that the mean shift is 0: s̄ → 0, 1 → +1, 0 → −s̄/(1−s̄).
  const m = p.meanIndicator;
  return (p.strength * (s - m)) / (1 - m);
}
