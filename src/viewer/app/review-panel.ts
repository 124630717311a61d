/**
 * Review of a finding: accept or reject (with an optional note), or edit the mask (paint / erase
 * with the model's labels, undo) and save it as a new version. Versions and their reviewers come
 * from the service (`/studies/:id/reviews`); the original result is never changed.
 */
import { apiJson } from './api.js';
import type { CaseViewer } from './case-viewer.js';
import { labelColour } from './case-viewer.js';
import { el, setChildren } from './dom.js';
import type { Reviewer } from './types.js';

interface ReviewEntry {
  readonly version: number;
  readonly kind: 'decision' | 'mask';
  readonly decision?: 'accept' | 'reject';
  readonly note?: string | null;
  readonly reviewer: Reviewer;
  readonly reviewedAt: string;
  readonly volumesMl?: Readonly<Record<string, number>>;
}

export interface ReviewPanelOptions {
  readonly studyId: string;
  /** The current viewer (the page may rebuild it, e.g. side by side). */
  readonly viewer: () => CaseViewer;
  readonly labelNames: Readonly<Record<number, string>>;
  /** After a saved review (the worklist shows it; the page may reload the labels). */
  readonly onSaved: () => void;
}

export interface ReviewPanel {
  readonly element: HTMLElement;
  decide(decision: 'accept' | 'reject'): Promise<void>;
}

export function reviewPanel(options: ReviewPanelOptions): ReviewPanel {
  const { studyId, viewer, labelNames } = options;
  const history = el('ol', { className: 'review-history' });
  const message = el('p', { className: 'review-message', role: 'status' });
  const note = el('input', { type: 'text', placeholder: 'note (optional)', maxLength: 2000 });
  const base = `/studies/${studyId}`;

  const load = async () => {
    try {
      const entries = await apiJson<ReviewEntry[]>(`${base}/reviews`);
      setChildren(
        history,
        ...entries.map((r) =>
          el(
            'li',
            { dataset: { version: String(r.version) } },
            `v${r.version} ${r.kind === 'mask' ? 'mask edited' : r.decision === 'accept' ? 'accepted' : 'rejected'} by ${r.reviewer.name}, ${new Date(r.reviewedAt).toLocaleString()}${r.note ? ` — ${r.note}` : ''}`,
          ),
        ),
      );
      if (entries.length === 0) setChildren(history, el('li', {}, 'not reviewed yet'));
    } catch (e) {
      message.textContent = `reviews: ${e instanceof Error ? e.message : e}`;
    }
  };

  const decide = async (decision: 'accept' | 'reject') => {
    try {
      await apiJson(`${base}/review`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ decision, ...(note.value.trim() && { note: note.value.trim() }) }),
      });
      message.textContent = decision === 'accept' ? 'Accepted.' : 'Rejected.';
      note.value = '';
      await load();
      options.onSaved();
    } catch (e) {
      message.textContent = `not saved: ${e instanceof Error ? e.message : e}`;
    }
  };

  const pens = el(
    'div',
    { className: 'pens', hidden: true },
    ...Object.entries(labelNames).map(([value, name]) => {
      const [r, g, b] = labelColour(Number(value));
      return el(
        'button',
        {
          type: 'button',
          className: 'pen',
          dataset: { pen: value },
          onclick: () => viewer().setPen(Number(value)),
        },
        el('span', { className: 'swatch', style: `background: rgb(${r} ${g} ${b})` }),
        `paint ${name}`,
      );
    }),
    el(
      'button',
      {
        type: 'button',
        className: 'pen',
        dataset: { pen: '0' },
        onclick: () => viewer().setPen(0),
      },
      'erase',
    ),
    el('button', { type: 'button', onclick: () => viewer().undo() }, 'undo'),
  );
  const edit = el('button', { type: 'button', className: 'edit-mask' }, 'Edit mask');
  const save = el('button', { type: 'button', className: 'save-mask', hidden: true }, 'Save mask');
  const cancel = el('button', { type: 'button', hidden: true }, 'Cancel');
  const editing = (on: boolean) => {
    pens.hidden = !on;
    save.hidden = !on;
    cancel.hidden = !on;
    edit.hidden = on;
  };
  edit.onclick = () => {
    viewer().startEditing();
    viewer().setPen(Number(Object.keys(labelNames)[0] ?? 1));
    editing(true);
    message.textContent = 'Drag on the image to paint; choose erase to remove.';
  };
  cancel.onclick = () => {
    viewer().cancelEditing();
    editing(false);
    message.textContent = '';
  };
  save.onclick = async () => {
    const bytes = await viewer().finishEditing();
    editing(false);
    if (!bytes) {
      message.textContent = 'nothing to save';
      return;
    }
    try {
      const saved = await apiJson<{ version: number; volumesMl: Record<string, number> }>(
        `${base}/labels`,
        {
          method: 'PUT',
          headers: { 'content-type': 'application/octet-stream' },
          body: new Blob([bytes as Uint8Array<ArrayBuffer>]),
        },
      );
      const volumes = Object.entries(saved.volumesMl)
        .map(([k, v]) => `${k} ${v.toFixed(2)} mL`)
        .join(', ');
      message.textContent = `Saved as version ${saved.version} (${volumes}).`;
      await load();
      options.onSaved();
    } catch (e) {
      message.textContent = `mask not saved: ${e instanceof Error ? e.message : e}`;
    }
  };
  void load();
  const element = el(
    'section',
    { className: 'review' },
    el('h3', {}, 'Review'),
    el(
      'div',
      { className: 'decide' },
      el(
        'button',
        { type: 'button', className: 'accept', onclick: () => void decide('accept') },
        'Accept (a)',
      ),
      el(
        'button',
        { type: 'button', className: 'reject', onclick: () => void decide('reject') },
        'Reject (r)',
      ),
      note,
    ),
    el('div', { className: 'edit' }, edit, save, cancel),
    pens,
    message,
    history,
  );
  return { element, decide };
}
