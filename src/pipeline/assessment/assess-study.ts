/**
 * Whether a study can be judged at all, and the triage state that follows (issue 25):
 * **positive** when a finding passes the operating point (still reported when the study is
 * otherwise not assessable: a bleed seen on half a brain is still a bleed, with the warning);
 * **not assessable** when anything below fails; **negative** only when nothing does.
 *
 * Checks: registration accepted (its quality against the task's bar); brain coverage (each
 * region of the lobe atlas imaged, brain-coverage.ts); the image checks of the task's modality
 * (ct-quality.ts, diffusion-quality.ts): SNR, contrast, motion and artefact, wrong body part or
 * sequence, contrast enhancement, metal. Pure given its inputs.
 */
import type { Volume } from '../../core/volume.js';
import type { Registered } from '../locate-findings.js';
import type { AtlasLike } from '../localise-lesions.js';
import type { NativeMask } from '../intracranial-mask.js';
import type { Task } from '../select-inputs.js';
import type { AssessmentReason } from './assessment-reason.js';
import {
  type BrainCoverage,
  coverageNote,
  coverageReason,
  measureBrainCoverage,
} from './brain-coverage.js';

import type { TriageState } from './triage-state.js';

export type { TriageState } from './triage-state.js';

export interface Assessment {
  readonly assessable: boolean;
  /** Every failed check; empty when assessable. */
  readonly reasons: readonly AssessmentReason[];
  /** null when the registration was not accepted (coverage cannot be known then). */
  readonly coverage: BrainCoverage | null;
  /** What the image checks measured (e.g. snr, brainMedianHu), for audit and drift. */
  readonly measures: Readonly<Record<string, number>>;
}

/** What an image check returns (ct-quality.ts, diffusion-quality.ts). */
export interface ImageCheck {
  readonly measures: Readonly<Record<string, number>>;
  readonly reasons: readonly AssessmentReason[];
}

export interface AssessOptions {
  readonly task: Task;
  /** The model's images on their native grids; the first was registered. */
  readonly images: readonly Volume[];
  readonly registered: Registered;
  readonly lobeAtlas: () => AtlasLike;
  /** Template brain mask (> 0 inside), on any grid in template space. */
  readonly brainMask: () => Volume;
  readonly inside?: NativeMask;
  /** The task's image checks (injected so each modality's checks stay in their own file). */
  readonly imageCheck?: (options: { images: readonly Volume[]; inside?: NativeMask }) => ImageCheck;
}

export function assessStudy(options: AssessOptions): Assessment {
  const reasons: AssessmentReason[] = [];
  const { reg } = options.registered;
  let coverage: BrainCoverage | null = null;
  if (!reg.ok)
    reasons.push({
      code: 'registration',
      message: `registration to the ${reg.template} template failed (${reg.failureReason ?? `quality ${reg.quality.score.toFixed(3)} below ${reg.quality.minScore}`}): no brain mask and no location`,
      measured: Math.round(reg.quality.score * 1000) / 1000,
      limit: reg.quality.minScore,
    });
  else {
    const first = options.images[0]!;
    const data = first.data;
    const imaged = slicesWithSignal(first, options.task === 'ich' ? -900 : 0);
    const perSlice = first.geometry.shape[0] * first.geometry.shape[1];
    coverage = measureBrainCoverage({
      geometry: first.geometry,
      patientToTemplate: reg.patientToTemplate,
      lobeAtlas: options.lobeAtlas(),
      brainMask: options.brainMask(),
      // Outside a CT's reconstruction circle nothing is imaged; a zero-filled MR slice images
      // nothing (single MR voxels can be 0 inside the brain, so MR is judged by slice).
      hasSignal:
        options.task === 'ich'
          ? (v) => data[v]! > -900
          : (v) => imaged[Math.floor(v / perSlice)] === 1,
    });
    const missing = coverageReason(coverage);
    if (missing) reasons.push(missing);
  }
  const checked = options.imageCheck?.({
    images: options.images,
    ...(options.inside && { inside: options.inside }),
  });
  if (checked) reasons.push(...checked.reasons);
  return {
    assessable: reasons.length === 0,
    reasons,
    coverage,
    measures: checked?.measures ?? {},
  };
}

/** 1 for each slice with more than 2 % of its voxels above `floor`. */
function slicesWithSignal(image: Volume, floor: number): Uint8Array {
  const [nx, ny, nz] = image.geometry.shape;
  const out = new Uint8Array(nz);
  for (let k = 0; k < nz; k++) {
    let n = 0;
    for (let v = k * nx * ny; v < (k + 1) * nx * ny; v++) if (image.data[v]! > floor) n++;
    out[k] = n > 0.02 * nx * ny ? 1 : 0;
  }
  return out;
}

export function triageState(positive: boolean, assessment: Assessment): TriageState {
  if (positive) return 'positive';
  return assessment.assessable ? 'negative' : 'not assessable';
}

/**
 * The summary line with the assessment applied: a not-assessable study says why, never "no
 * lesion"; a negative with partial coverage says what it covers; a positive keeps its finding
 * and says when the rest of the study could not be assessed.
 */
export function assessedSummary(options: {
  readonly summary: string;
  readonly state: TriageState;
  readonly assessment: Assessment;
}): string {
  const { summary, state, assessment } = options;
  const reasons = assessment.reasons.map((r) => r.message).join('; ');
  if (state === 'not assessable') return `Not assessable: ${reasons}`;
  if (state === 'positive' && !assessment.assessable)
    return `${summary} (the rest of the study is not assessable: ${reasons})`;
  const note = assessment.coverage ? coverageNote(assessment.coverage) : '';
  return note ? `${summary}; ${note}` : summary;
}
