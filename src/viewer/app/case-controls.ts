/**
 * Pieces both case views use (a server result in case-page.ts, a local one in
 * local-case-page.ts): the volume legend, the CT window and channel buttons, the lesion list's
 * entries. `viewer` is a getter, since a page may rebuild its viewer (side by side).
 */
import { type ListedLesion, lesionsFromLabels, lesionsFromReport } from '../lesion-list.js';
import { CT_WINDOWS, type WindowPreset, windowRange } from '../window-presets.js';
import { type CaseViewer, labelColour } from './case-viewer.js';
import { el } from './dom.js';
import type { Report } from './types.js';

type ViewerRef = () => CaseViewer;

export function button(text: string, onclick: () => void, className = ''): HTMLButtonElement {
  return el('button', { type: 'button', className, onclick }, text);
}

/** One line per label: colour swatch, name, volume. */
export function volumeLegend(
  labelNames: Readonly<Record<number, string>>,
  volumesMl: Readonly<Record<string, number>>,
): HTMLUListElement {
  return el(
    'ul',
    { className: 'legend' },
    ...Object.entries(labelNames).map(([value, name]) => {
      const [r, g, b] = labelColour(Number(value));
      return el(
        'li',
        {},
        el('span', { className: 'swatch', style: `background: rgb(${r} ${g} ${b})` }),
        `${name}: ${(volumesMl[name] ?? 0).toFixed(2)} mL`,
      );
    }),
  );
}

/** The CT window presets as buttons; `onChosen` after the window is set. */
export function ctWindowButtons(
  viewer: ViewerRef,
  onChosen: (preset: WindowPreset) => void = () => undefined,
): HTMLButtonElement[] {
  return CT_WINDOWS.map((w) =>
    button(
      `${w.name} (${w.shortcut})`,
      () => {
        viewer().setWindow(windowRange(w));
        onChosen(w);
      },
      `window window-${w.key}`,
    ),
  );
}

/** One button per scan channel (DWI, ADC), showing that channel under the labels. */
export function channelButtons(
  viewer: ViewerRef,
  channels: readonly string[],
): HTMLButtonElement[] {
  return channels.map((c) =>
    button(c.toUpperCase(), () => viewer().showChannel(c), `channel channel-${c}`),
  );
}

/** The report's located lesions, or the label map's components when it has no location. */
export function listLesions(
  report: Report,
  viewer: CaseViewer,
  labelNames: Readonly<Record<number, string>>,
): ListedLesion[] {
  return report.location
    ? lesionsFromReport(report.location.lesions)
    : lesionsFromLabels({ ...viewer.labelGrid(), labelNames });
}
