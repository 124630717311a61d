/**
 * The mirror axes of test-time augmentation: those the model was trained with. A flip the model
 * never saw in training (an upside-down head) is not an augmentation but an input from another
 * distribution, and averaging it in only dilutes the probabilities. Training mirrors X (left-right)
 * when `flipLr` and Y, Z too when `flipOther` (training/neurotriage_train/augment.py). A card
 * that does not say how its model was trained gets all three axes. Pure.
 */
import type { MirrorAxis } from './sliding-window.js';

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** Mirror axes for TTA from the card's `training.config.augment` (all three when not recorded). */
export function ttaMirrorAxes(card: { readonly training?: unknown }): MirrorAxis[] {
  const augment = field(field(card.training, 'config'), 'augment');
  const flipLr = field(augment, 'flipLr');
  const flipOther = field(augment, 'flipOther');
  if (typeof flipLr !== 'boolean' || typeof flipOther !== 'boolean') return ['x', 'y', 'z'];
  return [...(flipLr ? (['x'] as const) : []), ...(flipOther ? (['y', 'z'] as const) : [])];
}
