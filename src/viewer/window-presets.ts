/**
 * Display windows of the case view. CT windows as centre / width in HU (the usual radiology
 * presets); diffusion images use the robust range of the image itself.
 */
export interface WindowPreset {
  readonly key: string;
  readonly name: string;
  /** Keyboard shortcut. */
  readonly shortcut: string;
  readonly centre: number;
  readonly width: number;
}

export const CT_WINDOWS: readonly WindowPreset[] = [
  { key: 'brain', name: 'Brain', shortcut: '1', centre: 40, width: 80 },
  { key: 'subdural', name: 'Subdural', shortcut: '2', centre: 75, width: 215 },
  { key: 'stroke', name: 'Stroke', shortcut: '3', centre: 35, width: 30 },
  { key: 'bone', name: 'Bone', shortcut: '4', centre: 600, width: 2800 },
];

/** [min, max] of a window. */
export function windowRange(preset: Pick<WindowPreset, 'centre' | 'width'>): [number, number] {
  return [preset.centre - preset.width / 2, preset.centre + preset.width / 2];
}
