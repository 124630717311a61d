/**
 * The case header's note for a study that could not be judged (issue 25): "NOT ASSESSABLE" and
 * each reason, so that the reader sees why before the images; nothing for an assessable study.
 */
import { el } from './dom.js';
import { stateOf } from './triage-state.js';
import type { Report } from './types.js';

export function notAssessableLines(report: Report): HTMLElement[] {
  const reasons = report.assessment?.reasons ?? [];
  const state = stateOf(report.triage);
  if (state !== 'not assessable' && reasons.length === 0) return [];
  const title =
    state === 'not assessable'
      ? 'NOT ASSESSABLE: a radiologist must read this study'
      : 'The rest of the study is not assessable';
  return [
    el(
      'div',
      { className: 'assessment not-assessable' },
      el('p', { className: 'assessment-title' }, title),
      el('ul', { className: 'reasons' }, ...reasons.map((r) => el('li', {}, r.message))),
    ),
  ];
}
