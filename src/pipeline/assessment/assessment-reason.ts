/**
 * Why a study cannot be assessed (issue 25): one reason per failed check, each with what was
 * measured and the limit it failed, so that a reader sees why and a site can audit the limits.
 * A not-assessable study is never reported negative.
 */
export type AssessmentReasonCode =
  | 'registration'
  | 'coverage'
  | 'low-snr'
  | 'low-contrast'
  | 'motion'
  | 'wrong-body-part'
  | 'wrong-sequence'
  | 'contrast-enhanced'
  | 'metal';

export interface AssessmentReason {
  readonly code: AssessmentReasonCode;
  /** One line for a person, e.g. "brain SNR 3.1 is below 6". */
  readonly message: string;
  /** The measured value the check compared, when there is one. */
  readonly measured?: number;
  /** The limit it failed. */
  readonly limit?: number;
}
