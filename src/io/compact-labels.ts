/**
 * A label volume as uint8 when every value is an integer 0..255 (atlases ship as float64): the
 * same labels in an eighth of the memory. Pure; used by the Node label cache (label-cache.ts)
 * and by a browser worker on fetched atlases.
 */
import { type Volume, createVolume } from '../core/volume.js';

/** The volume with uint8 data, or undefined when a value does not fit. */
export function compactLabels(volume: Volume): Volume | undefined {
  const data = volume.data;
  const bytes = new Uint8Array(data.length);
  for (let v = 0; v < data.length; v++) {
    const x = data[v]!;
    if (!(x >= 0 && x <= 255 && Number.isInteger(x))) return undefined;
    bytes[v] = x;
  }
  return createVolume(volume.geometry, bytes, volume.meta);
}
