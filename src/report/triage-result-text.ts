/**
 * The words every output uses for a triage state (issue 25), so that the CLI, the DICOM
 * objects, the FHIR report and the pictures agree: a study that could not be judged is
 * "NOT ASSESSABLE" with its reasons, never "NEGATIVE".
 */
import type { TriageState } from '../pipeline/assessment/triage-state.js';

/** 'POSITIVE', 'NEGATIVE' or 'NOT ASSESSABLE'. */
export function resultWord(state: TriageState): string {
  return state === 'positive' ? 'POSITIVE' : state === 'negative' ? 'NEGATIVE' : 'NOT ASSESSABLE';
}

/** The reasons as one line, e.g. "registration failed; brain SNR 3.1 is below 6" ('' if none). */
export function reasonsLine(reasons: readonly { readonly message: string }[]): string {
  return reasons.map((r) => r.message).join('; ');
}

/** "<word>" or, with reasons, "<word>: <reasons>" (reasons only for a not-assessable state). */
export function resultWithReasons(
  state: TriageState,
  reasons: readonly { readonly message: string }[],
): string {
  const why = state === 'not assessable' ? reasonsLine(reasons) : '';
  return why ? `${resultWord(state)}: ${why}` : resultWord(state);
}
