/**
 * The monitoring page (`#/monitoring`, issue 25): `GET /monitoring` as a table, one row per
 * scanner (manufacturer, model, station) and ISO week, newest week first, with the outcome
 * counts, the median positive lesion volume and the median time to result, so a site sees drift;
 * rows that show drift are highlighted (../monitoring-drift.ts). Read once when the page opens.
 */
import { apiJson } from './api.js';
import { el, setChildren } from './dom.js';
import { DRIFT_RULE, driftFlags, studiesOf } from '../monitoring-drift.js';
import type { MonitoringRow } from './types.js';

export interface MonitoringPageOptions {
  readonly root: HTMLElement;
  /** Back to the worklist. */
  readonly back: () => void;
}

const COLUMNS: readonly (readonly [className: string, title: string])[] = [
  ['manufacturer', 'manufacturer'],
  ['model', 'model'],
  ['station', 'station'],
  ['week', 'week'],
  ['studies', 'studies'],
  ['positive', 'positive'],
  ['negative', 'negative'],
  ['not-assessable', 'not assessable'],
  ['not-analysed', 'not analysed (refused)'],
  ['failed', 'failed'],
  ['pending', 'pending'],
  ['volume', 'median positive volume mL'],
  ['time', 'median time to result'],
];

/** Seconds as "42 s" under two minutes, else "3.5 min"; "–" without a value. */
export function durationText(seconds: number | null): string {
  if (seconds === null) return '–';
  return seconds < 120 ? `${Math.round(seconds)} s` : `${(seconds / 60).toFixed(1)} min`;
}

function cells(row: MonitoringRow): string[] {
  return [
    row.manufacturer ?? 'unknown',
    row.model ?? 'unknown',
    row.station ?? 'unknown',
    row.week,
    ...[
      studiesOf(row),
      row.positive,
      row.negative,
      row.notAssessable,
      row.notAnalysed,
      row.failed,
      row.pending,
    ].map(String),
    row.medianPositiveLesionMl === null ? '–' : row.medianPositiveLesionMl.toFixed(1),
    durationText(row.medianSecondsToResult),
  ];
}

function tableRow(row: MonitoringRow, drift: boolean): HTMLTableRowElement {
  const texts = cells(row);
  return el(
    'tr',
    { className: drift ? 'scanner-week drift' : 'scanner-week' },
    ...COLUMNS.map(([className], i) => el('td', { className }, texts[i] ?? '')),
  );
}

export function monitoringPage(options: MonitoringPageOptions): () => void {
  const { root, back } = options;
  let left = false;
  const status = el('p', { className: 'status-line' }, 'reading the monitoring…');
  const body = el('tbody');
  const table = el(
    'table',
    { className: 'monitoring' },
    el('caption', {}, DRIFT_RULE),
    el('thead', {}, el('tr', {}, ...COLUMNS.map(([, title]) => el('th', {}, title)))),
    body,
  );
  setChildren(
    root,
    el(
      'div',
      { className: 'page-head' },
      el('h2', {}, 'Monitoring'),
      el('button', { type: 'button', className: 'back', onclick: back }, 'back to the worklist'),
    ),
    el('p', { className: 'notice research-notice' }, 'Research use only; not a medical device.'),
    el(
      'p',
      { className: 'hint' },
      'Per scanner and ISO week of receipt: what became of its studies. Watch for drift: a scanner whose share of positives or of not-assessable studies jumps from one week to the next (a new protocol, a software update, a failing detector).',
    ),
    status,
    table,
  );
  void (async () => {
    try {
      const { rows } = await apiJson<{ rows: MonitoringRow[] }>('/monitoring');
      if (left) return;
      const flags = driftFlags(rows);
      setChildren(body, ...rows.map((r, i) => tableRow(r, flags[i] ?? false)));
      status.textContent = `${rows.length} scanner weeks · read ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      if (!left)
        status.textContent = `cannot read the monitoring: ${e instanceof Error ? e.message : e}`;
    }
    if (!left) root.dataset.ready = String(Date.now());
  })();
  return () => {
    left = true;
  };
}
