/**
 * The case view of a result analysed in this browser (local-drop.ts): the scan with the lesion
 * overlay (case-viewer.ts), CT window presets, the headline, the volumes, the lesions, the model
 * (name, version, sha256) and the research-use notice. No review panel: the result lives only
 * in this page and nothing was sent to the service.
 */
import { notAssessableLines } from './not-assessable.js';
import { stateClass, stateOf } from './triage-state.js';
import { CT_WINDOWS, windowRange } from '../window-presets.js';
import { channelButtons, ctWindowButtons, listLesions, volumeLegend } from './case-controls.js';
import { CaseViewer } from './case-viewer.js';
import { el, setChildren } from './dom.js';
import type { LocalCase } from './local-drop.js';
import type { Report } from './types.js';

export interface LocalCasePageOptions {
  readonly root: HTMLElement;
  readonly found: LocalCase;
  readonly back: () => void;
}

const bufferOf = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

export async function localCasePage(options: LocalCasePageOptions): Promise<() => void> {
  const { root, found } = options;
  const report = found.result.report as Report & { timingsMs: Record<string, number> };
  const labelNames = Object.fromEntries(Object.keys(report.volumesMl).map((n, i) => [i + 1, n]));
  const scans = found.result.scans.map((s) => ({ channel: s.channel, buffer: bufferOf(s.bytes) }));
  const isCt = report.task === 'ich';
  const back = el(
    'button',
    { type: 'button', className: 'back', onclick: options.back },
    '← worklist (Esc)',
  );
  const canvas = el('canvas', { className: 'view' });
  const images = el('div', { className: 'images' }, el('div', { className: 'canvas-box' }, canvas));
  const panel = el('aside', { className: 'panel' });
  setChildren(
    root,
    el(
      'header',
      { className: `case-header local ${stateClass(stateOf(report.triage))}` },
      back,
      el('h2', { className: 'headline' }, report.summary),
      ...notAssessableLines(report),
      el(
        'p',
        { className: 'local-origin' },
        `Analysed in this browser in ${((report.timingsMs.total ?? 0) / 1000).toFixed(1)} s (${found.threads} thread${found.threads === 1 ? '' : 's'}); nothing was uploaded.`,
      ),
      el(
        'p',
        { className: 'model' },
        `${report.model.name} ${report.model.version} · sha256 ${report.model.sha256.slice(0, 12)}…`,
      ),
      el('p', { className: 'notice' }, report.notice),
    ),
    el('div', { className: 'case' }, images, panel),
  );
  const viewer = await CaseViewer.create({
    canvases: [canvas],
    scans,
    labels: bufferOf(found.result.labels),
    labelNames,
  });
  if (isCt) viewer.setWindow(windowRange(CT_WINDOWS[0]!));
  root.dataset.ready = String(Date.now());

  const lesions = listLesions(report, viewer, labelNames);
  const ref = () => viewer;
  const windowButtons = isCt
    ? ctWindowButtons(ref)
    : channelButtons(
        ref,
        scans.map((s) => s.channel),
      );
  setChildren(
    panel,
    el('section', {}, el('h3', {}, isCt ? 'Window' : 'Image'), ...windowButtons),
    el(
      'section',
      {},
      el('h3', {}, 'Volumes'),
      volumeLegend(labelNames, report.volumesMl),
      el('p', { className: 'total-volume' }, `total ${report.totalLesionMl.toFixed(2)} mL`),
    ),
    el(
      'section',
      {},
      el('h3', {}, `Lesions (${lesions.length})`),
      el(
        'ol',
        { className: 'lesions' },
        ...lesions.map((l) =>
          el(
            'li',
            { tabIndex: 0, onclick: () => viewer.jumpTo(l.centreRasMm) },
            `${l.label} · ${l.volumeMl.toFixed(2)} mL${l.where ? ` · ${l.where}` : ''}`,
          ),
        ),
      ),
    ),
    el(
      'section',
      {},
      el('h3', {}, 'Warnings'),
      ...(report.warnings ?? []).map((w) => el('p', { className: 'warning' }, w)),
    ),
  );
  const onKey = (e: KeyboardEvent) => {
    const preset = CT_WINDOWS.find((w) => w.shortcut === e.key);
    if (isCt && preset) viewer.setWindow(windowRange(preset));
    else if (e.key === 'Escape') options.back();
  };
  window.addEventListener('keydown', onKey);
  // For tests and the bench: the local result, read-only.
  (window as unknown as { neurotriageLocal?: unknown }).neurotriageLocal = {
    report,
    threads: found.threads,
    elapsedMs: found.elapsedMs,
  };
  root.dataset.local = 'done';
  return () => {
    window.removeEventListener('keydown', onKey);
    delete root.dataset.local;
  };
}
