/**
 * The case view: the native scan with the lesion overlay (NiiVue), window presets, DWI / ADC
 * toggled or side by side, axial / coronal / sagittal / multiplanar, opacity and outline, the
 * lesion list with click-to-jump, a distance measurement, the report's headline with the model's
 * name, version and sha256 and the research-use notice, and the review panel.
 */
import { notAssessableLines } from './not-assessable.js';
import { stateClass, stateOf } from './triage-state.js';
import { apiBytes, apiJson } from './api.js';
import { CT_WINDOWS, windowRange } from '../window-presets.js';
import {
  button,
  channelButtons as channelButtonsFor,
  ctWindowButtons,
  listLesions,
  volumeLegend,
} from './case-controls.js';
import { CaseViewer } from './case-viewer.js';
import { el, setChildren } from './dom.js';
import { reviewPanel } from './review-panel.js';
import type { Report, Study } from './types.js';

export interface CasePageOptions {
  readonly root: HTMLElement;
  readonly studyId: string;
  readonly back: () => void;
}

function labelNamesOf(report: Report): Record<number, string> {
  const names = Object.keys(report.volumesMl);
  return Object.fromEntries(names.map((n, i) => [i + 1, n]));
}

export async function casePage(options: CasePageOptions): Promise<() => void> {
  const { root, studyId } = options;
  const progress = el('progress', { max: 1, value: 0 });
  const status = el('p', { className: 'status-line' }, 'loading the case…');
  setChildren(root, el('div', { className: 'loading' }, status, progress));
  const cleanup: (() => void)[] = [];

  const study = await apiJson<Study>(`/studies/${studyId}`);
  if (study.status !== 'done') {
    setChildren(
      root,
      button('← worklist (Esc)', options.back, 'back'),
      el('h2', {}, 'Case'),
      el(
        'p',
        { className: 'error' },
        `No result to show: the study is ${study.status}${study.reason ? ` (${study.reason})` : ''}.`,
      ),
    );
    return () => undefined;
  }
  const report = await apiJson<Report>(`/studies/${studyId}/report`);
  const labelNames = labelNamesOf(report);
  const outputs = Object.keys(study.links.outputs ?? {});
  const scanNames = outputs.filter((n) => /^scan-.+\.nii\.gz$/.test(n));
  if (scanNames.length === 0)
    throw new Error('this result has no scan for the viewer (analysed before the viewer existed)');
  const order = (n: string) => ['scan-ct.nii.gz', 'scan-dwi.nii.gz', 'scan-adc.nii.gz'].indexOf(n);
  scanNames.sort((a, b) => order(a) - order(b));
  const files = [...scanNames, 'labels.nii.gz'];
  const loaded = new Array<number>(files.length).fill(0);
  const buffers = await Promise.all(
    files.map((name, i) =>
      apiBytes(`/studies/${studyId}/outputs/${name}`, (f) => {
        loaded[i] = f;
        progress.value = loaded.reduce((a, b) => a + b, 0) / files.length;
        status.textContent = `loading the images… ${Math.round(progress.value * 100)} %`;
      }),
    ),
  );
  const scans = scanNames.map((name, i) => ({
    channel: name.replace(/^scan-|\.nii\.gz$/g, ''),
    buffer: buffers[i]!,
  }));
  const labels = buffers[buffers.length - 1]!;
  const isCt = report.task === 'ich';

  // Layout: image area (one or two canvases) + side panel.
  const images = el('div', { className: 'images' });
  const panel = el('aside', { className: 'panel' });
  const header = el(
    'header',
    { className: `case-header ${stateClass(stateOf(report.triage))}` },
    button('← worklist (Esc)', options.back, 'back'),
    el('h2', { className: 'headline' }, report.summary),
    ...notAssessableLines(report),
    el(
      'p',
      { className: 'model' },
      `${report.model.name} ${report.model.version} · sha256 ${report.model.sha256.slice(0, 12)}…`,
    ),
    el('p', { className: 'notice' }, report.notice),
  );
  setChildren(root, header, el('div', { className: 'case' }, images, panel));

  let viewer: CaseViewer | undefined;
  const build = async (sideBySide: boolean) => {
    const count = sideBySide && scans.length > 1 ? scans.length : 1;
    const canvases = Array.from({ length: count }, (_, i) =>
      el('canvas', { className: 'view', dataset: { channel: scans[i]?.channel ?? '' } }),
    );
    setChildren(
      images,
      ...canvases.map((c, i) =>
        el(
          'div',
          { className: 'canvas-box' },
          c,
          el(
            'span',
            { className: 'canvas-label' },
            count > 1 ? scans[i]!.channel.toUpperCase() : '',
          ),
        ),
      ),
    );
    viewer = await CaseViewer.create({ canvases, scans, labels, labelNames });
    if (isCt) viewer.setWindow(windowRange(CT_WINDOWS[0]!));
    root.dataset.ready = String(Date.now());
  };
  status.textContent = 'rendering…';
  await build(false);
  const v = () => viewer!;

  // Controls.
  const windowButtons = isCt
    ? ctWindowButtons(v, (w) => (root.dataset.window = w.key))
    : [button('Auto window', () => v().setWindow(null), 'window')];
  const channelButtons =
    scans.length > 1
      ? [
          ...channelButtonsFor(
            v,
            scans.map((s) => s.channel),
          ),
          button('Side by side', () => void build(true), 'side-by-side'),
          button('One view', () => void build(false), 'one-view'),
        ]
      : [];
  const viewKeys = { axial: 'x', coronal: 'c', sagittal: 's', multiplanar: 'm' } as const;
  const views = (['axial', 'coronal', 'sagittal', 'multiplanar'] as const).map((t) =>
    button(
      `${t[0]!.toUpperCase()}${t.slice(1)} (${viewKeys[t]})`,
      () => v().setSliceType(t),
      `view-${t}`,
    ),
  );
  const opacity = el('input', {
    type: 'range',
    min: '0',
    max: '1',
    step: '0.05',
    value: '0.6',
    className: 'opacity',
  });
  opacity.oninput = () => v().setOverlayOpacity(Number(opacity.value));
  const outline = el('input', { type: 'checkbox', className: 'outline' });
  outline.onchange = () => v().setOutline(outline.checked);
  const measure = el('input', { type: 'checkbox', className: 'measure' });
  measure.onchange = () => v().setMeasuring(measure.checked);

  const legend = volumeLegend(labelNames, report.volumesMl);
  const lesions = listLesions(report, v(), labelNames);
  let current = -1;
  const jump = (i: number) => {
    const lesion = lesions[i];
    if (!lesion) return;
    current = i;
    v().jumpTo(lesion.centreRasMm);
    for (const [k, li] of [...lesionList.children].entries())
      li.classList.toggle('current', k === i);
  };
  const lesionList = el(
    'ol',
    { className: 'lesions' },
    ...lesions.map((l, i) =>
      el(
        'li',
        { tabIndex: 0, onclick: () => jump(i), dataset: { index: String(i) } },
        `${l.label} · ${l.volumeMl.toFixed(2)} mL${l.where ? ` · ${l.where}` : ''}`,
      ),
    ),
  );
  const review = reviewPanel({ studyId, viewer: v, labelNames, onSaved: () => undefined });
  setChildren(
    panel,
    el('section', {}, el('h3', {}, 'Window'), ...windowButtons, ...channelButtons),
    el('section', {}, el('h3', {}, 'View'), ...views),
    el(
      'section',
      {},
      el('h3', {}, 'Overlay'),
      legend,
      el('label', {}, 'opacity ', opacity),
      el('label', {}, outline, ' outline (o)'),
      el('label', {}, measure, ' measure distance (d)'),
      el(
        'p',
        { className: 'hint' },
        "Radiological convention: the patient's right is on the screen's left (R / L letters on the image).",
      ),
    ),
    el(
      'section',
      {},
      el('h3', {}, `Lesions (${lesions.length})`),
      lesionList,
      el('p', { className: 'hint' }, 'j / k: next / previous lesion'),
    ),
    review.element,
    el(
      'section',
      {},
      el('h3', {}, 'Warnings'),
      ...(report.warnings ?? []).map((w) => el('p', { className: 'warning' }, w)),
    ),
  );

  const onKey = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement && e.target.type === 'text') return;
    const key = e.key;
    const preset = CT_WINDOWS.find((w) => w.shortcut === key);
    if (isCt && preset) v().setWindow(windowRange(preset));
    else if (key === 'Escape') options.back();
    else if (key === 'a' && !v().isEditing) void review.decide('accept');
    else if (key === 'r' && !v().isEditing) void review.decide('reject');
    else if (key === 'o') {
      outline.checked = !outline.checked;
      v().setOutline(outline.checked);
    } else if (key === 'd') {
      measure.checked = !measure.checked;
      v().setMeasuring(measure.checked);
    } else if (key === 'j') jump(Math.min(lesions.length - 1, current + 1));
    else if (key === 'k') jump(Math.max(0, current - 1));
    else if (key === 'm') v().setSliceType('multiplanar');
    else if (key === 'c') v().setSliceType('coronal');
    else if (key === 's') v().setSliceType('sagittal');
    else if (key === 'x') v().setSliceType('axial');
  };
  window.addEventListener('keydown', onKey);
  cleanup.push(() => window.removeEventListener('keydown', onKey));
  // For tests and the bench: the viewer and the lesions, read-only.
  (window as unknown as { neurotriageCase?: unknown }).neurotriageCase = {
    viewer: v,
    lesions,
    jump,
  };
  return () => cleanup.forEach((f) => f());
}
