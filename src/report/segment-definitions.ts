/**
 * The segments of a DICOM SEG from the model's labels: one per label value > 0, in value order,
 * with the task's codes (lesion-codes.ts) and the overlay colours. Shared by the analysis's SEG
 * (dicom-outputs.ts) and a reviewer's edited mask (reviewed-segmentation.ts), so both describe
 * the same segments the same way.
 */
import { lesionCodes } from '../io/dicom/lesion-codes.js';
import type { SegmentDefinition } from '../io/dicom/write-seg.js';
import { LABEL_COLOURS } from '../render/slice-view.js';

/** Label value → name, without background, by value. */
export function labelEntries(
  labelNames: Readonly<Record<number, string>>,
): { value: number; name: string }[] {
  return Object.entries(labelNames)
    .map(([value, name]) => ({ value: Number(value), name }))
    .filter((l) => l.value > 0)
    .sort((a, b) => a.value - b.value);
}

export function segmentDefinitions(
  task: 'ich' | 'infarct',
  labelNames: Readonly<Record<number, string>>,
): SegmentDefinition[] {
  return labelEntries(labelNames).map((l) => {
    const codes = lesionCodes(task, l.name);
    return {
      labelValue: l.value,
      label: l.name,
      description: codes.description,
      category: codes.category,
      type: codes.type,
      anatomicRegion: codes.anatomicRegion,
      colourRgb: LABEL_COLOURS[(l.value - 1) % LABEL_COLOURS.length]!,
    };
  });
}
