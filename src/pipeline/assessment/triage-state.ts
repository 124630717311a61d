/**
 * The three answers of a triage (issue 25): positive, negative, or not assessable (the study
 * could not be judged; never reported negative).
 */
export type TriageState = 'positive' | 'negative' | 'not assessable';
