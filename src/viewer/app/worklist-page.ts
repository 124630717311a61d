/**
 * The worklist: studies by triage priority, then arrival (the service's order), with status,
 * finding, volume, location, model and review; live: a study's status change arrives over
 * `GET /events` and the list is read again, without a reload. Above it, the drop zone of the
 * in-browser analysis when the caller gives one; in the header, a button to the monitoring page.
 */
import { apiJson } from './api.js';
import { el, setChildren } from './dom.js';
import { openEventStream } from './event-stream.js';
import { stateClass, stateOf } from './triage-state.js';
import type { Study } from './types.js';

const STATUS_TEXT: Record<Study['status'], string> = {
  received: 'received',
  queued: 'queued',
  running: 'analysing…',
  done: 'done',
  'not-analysed': 'not analysed',
  failed: 'failed',
};

function finding(study: Study): string {
  // A not-assessable summary reads "Not assessable: <reasons>", the first reason first.
  if (study.result)
    return stateOf(study.result) === 'negative' ? 'no lesion found' : study.result.summary;
  if (study.status === 'not-analysed' || study.status === 'failed')
    return study.reason ?? STATUS_TEXT[study.status];
  return '';
}

function reviewText(study: Study): string {
  const r = study.review;
  if (!r) return study.status === 'done' ? 'not reviewed' : '';
  const what = { accept: 'accepted', reject: 'rejected', edited: 'edited' }[r.decision];
  return `${what} by ${r.reviewer.name}`;
}

function row(study: Study, open: (id: string) => void): HTMLTableRowElement {
  const state = study.result ? stateOf(study.result) : undefined;
  const tr = el(
    'tr',
    {
      className: `study ${state ? stateClass(state) : ''} status-${study.status}`,
      tabIndex: 0,
      dataset: { studyId: study.id },
      onclick: () => open(study.id),
      onkeydown: (e: KeyboardEvent) => {
        if (e.key === 'Enter') open(study.id);
      },
    },
    el(
      'td',
      { className: 'flag' },
      state === 'positive' ? '●' : state === 'not assessable' ? '?' : '',
    ),
    el('td', { className: 'status' }, STATUS_TEXT[study.status]),
    el('td', { className: 'finding' }, finding(study)),
    el('td', { className: 'volume' }, study.result ? study.result.totalLesionMl.toFixed(1) : ''),
    el('td', { className: 'location' }, study.result?.location ?? ''),
    el('td', { className: 'model' }, study.result?.model ?? study.result?.task ?? ''),
    el('td', { className: 'review' }, reviewText(study)),
    el('td', { className: 'received' }, new Date(study.receivedAt).toLocaleString()),
  );
  return tr;
}

export interface WorklistPageOptions {
  readonly root: HTMLElement;
  /** Opens a study's case view. */
  readonly open: (id: string) => void;
  /** Shown above the list: the drop zone of the in-browser analysis (local-drop.ts). */
  readonly localDrop?: HTMLElement;
  /** Opens the monitoring page (a "Monitoring" button in the header). */
  readonly monitoring?: () => void;
}

export function worklistPage(options: WorklistPageOptions): () => void {
  const { root, open } = options;
  const controller = new AbortController();
  const status = el('p', { className: 'status-line' }, 'loading the worklist…');
  const body = el('tbody');
  const table = el(
    'table',
    { className: 'worklist' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['', 'status', 'finding', 'volume mL', 'location', 'model', 'review', 'received'].map(
          (h) => el('th', {}, h),
        ),
      ),
    ),
    body,
  );
  setChildren(
    root,
    ...(options.localDrop ? [options.localDrop] : []),
    el(
      'div',
      { className: 'page-head' },
      el('h2', {}, 'Worklist'),
      options.monitoring &&
        el(
          'button',
          { type: 'button', className: 'open-monitoring', onclick: options.monitoring },
          'Monitoring',
        ),
    ),
    status,
    table,
  );
  let reading = Promise.resolve();
  const refresh = () => {
    reading = reading.then(async () => {
      try {
        const { studies } = await apiJson<{ studies: Study[] }>('/worklist');
        setChildren(body, ...studies.map((s) => row(s, open)));
        status.textContent = `${studies.length} studies · updated ${new Date().toLocaleTimeString()}`;
        root.dataset.updated = String(Date.now());
      } catch (e) {
        status.textContent = `cannot read the worklist: ${e instanceof Error ? e.message : e}`;
      }
    });
  };
  openEventStream({
    path: '/events',
    signal: controller.signal,
    onOpen: refresh,
    onEvent: (name) => {
      if (name === 'study') refresh();
    },
    onError: (message) => (status.textContent = `live updates interrupted (${message}); retrying`),
  });
  return () => controller.abort();
}
