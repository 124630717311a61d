/**
 * Is the scan the right way up? At the coarsest level the registration is started from the
 * header's orientation and from the orientations a wrong header or a reversed slice order
 * gives — upside down (z mirrored), front–back (y mirrored), and rotated 180° about the
 * left–right axis — and each is optimised briefly. Left–right mirrors are not tested: the
 * templates are (nearly) symmetric, so image content cannot tell them apart. When a wrong
 * orientation fits clearly better than the header's, registration reports a failure instead of
 * a transform. Pure.
 */
import type { Mat3 } from '../core/vec.js';
import { type LevelProblem, type LevelRun, optimiseLevel } from './level-optimiser.js';

export interface OrientationCandidate {
  readonly name: string;
  readonly linear: Mat3;
}

export const ORIENTATION_CANDIDATES: readonly OrientationCandidate[] = [
  { name: 'as in the header', linear: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
  { name: 'upside down (mirrored head–feet)', linear: [1, 0, 0, 0, 1, 0, 0, 0, -1] },
  { name: 'mirrored front–back', linear: [1, 0, 0, 0, -1, 0, 0, 0, 1] },
  { name: 'rotated 180° about the left–right axis', linear: [1, 0, 0, 0, -1, 0, 0, 0, -1] },
];

export interface OrientationTrial {
  readonly candidate: OrientationCandidate;
  readonly run: LevelRun;
  /** −cost: the similarity reached (MI in nats, or NCC). */
  readonly similarity: number;
}

export interface OrientationCheckOptions {
  /** The problem at the coarsest level with the header's orientation as `initialLinear`. */
  readonly problem: LevelProblem;
  readonly params: ArrayLike<number>;
  readonly active: readonly boolean[];
  readonly maxIterations: number;
  readonly maxStepMm: number;
  readonly minStepMm: number;
}

/** Runs every candidate; the first trial is the header's orientation. */
export function tryOrientations(options: OrientationCheckOptions): OrientationTrial[] {
  const { problem } = options;
  return ORIENTATION_CANDIDATES.map((candidate) => {
    const l = candidate.linear;
    const l0 = problem.initialLinear;
    // flip applied after the starting linear part: the anatomy mirrored along template axes
    const initialLinear: Mat3 = [
      l[0] * l0[0], l[0] * l0[1], l[0] * l0[2],
      l[4] * l0[3], l[4] * l0[4], l[4] * l0[5],
      l[8] * l0[6], l[8] * l0[7], l[8] * l0[8],
    ]; // prettier-ignore
    const run = optimiseLevel({ ...problem, initialLinear }, options);
    return { candidate, run, similarity: -run.cost };
  });
}
