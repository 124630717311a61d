/**
 * The triage state as the viewer shows it (issue 25): positive, negative or not assessable (the
 * machine could not judge the study; a person must), never "no lesion found" for the last.
 * A service or report from before the state existed gives only `positive`.
 */
export type TriageState = 'positive' | 'negative' | 'not assessable';

export function stateOf(triage: {
  readonly state?: TriageState;
  readonly positive: boolean;
}): TriageState {
  return triage.state ?? (triage.positive ? 'positive' : 'negative');
}

/** The CSS class of a row or header: 'positive', 'negative' or 'not-assessable'. */
export function stateClass(state: TriageState): string {
  return state === 'not assessable' ? 'not-assessable' : state;
}
