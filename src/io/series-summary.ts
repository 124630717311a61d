/** A plain, JSON-ready description of a series for `info` and for series selection. */
import { orientationCode } from '../core/reorient.js';
import type { Vec3 } from '../core/vec.js';
import type { SeriesGroup } from './dicom/group-series.js';
import type { StackPlan } from './dicom/stack-geometry.js';

export interface SeriesSummary {
  readonly id: string;
  readonly format: 'dicom' | 'nifti';
  readonly seriesUid?: string;
  readonly seriesNumber?: number;
  readonly description?: string;
  readonly modality: string;
  readonly manufacturer?: string;
  readonly model?: string;
  readonly bodyPart?: string;
  /** Contrast/Bolus Agent as recorded; absent when the series does not say. */
  readonly contrastAgent?: string;
  readonly imageType?: readonly string[];
  /** (0028,0004); RGB marks a colour map (colour FA). */
  readonly photometric?: string;
  /** (0018,9075): ISOTROPIC marks a trace image, NONE a b0. */
  readonly diffusionDirectionality?: string;
  /** (0020,0052): series of one acquisition share it. */
  readonly frameOfReferenceUid?: string;
  /** Series (else acquisition) time, HHMMSS.frac as recorded: orders repeated series. */
  readonly seriesTime?: string;
  readonly files: number;
  readonly images: number;
  readonly volumes: number;
  /** Voxels along i, j, k of one volume as stored (before any tilt/spacing resampling). */
  readonly shape?: Vec3;
  readonly spacingMm?: Vec3;
  readonly orientation?: string;
  readonly sliceThicknessMm?: number;
  readonly gantryTiltDeg?: number;
  readonly echoTimeMs?: number;
  readonly repetitionTimeMs?: number;
  readonly fieldStrengthT?: number;
  readonly kvp?: number;
  readonly convolutionKernel?: string;
  /** b-value of each acquired volume, s/mm² (derived trace volumes excluded, see traceVolumes). */
  readonly bValues?: readonly number[];
  /** Unit gradient direction of each acquired volume (null for b0). */
  readonly gradients?: readonly (Vec3 | null)[];
  readonly traceVolumes?: number;
  /** b-value of each derived trace (isotropic) volume, s/mm² (e.g. a TRACEW series). */
  readonly traceBValues?: readonly number[];
  readonly warnings: readonly string[];
}

export function summariseDicomSeries(
  group: SeriesGroup,
  plan: StackPlan | undefined,
  planError?: string,
): SeriesSummary {
  const a = group.attributes;
  const first = group.slices[0]!;
  const nSlices = plan?.normalPositionsMm.length ?? group.slices.length;
  const diffusion = plan?.volumes.map((v) => v[0]?.diffusion);
  const hasDiffusion = diffusion?.some((d) => d !== undefined) ?? false;
  const acquired = diffusion?.filter((d) => d?.kind !== 'trace') ?? [];
  const warnings = [...(plan?.warnings ?? [])];
  if (planError) warnings.push(planError);
  const step = plan && nSlices > 1 ? plan.medianStepMm : (a.sliceThicknessMm ?? 1);
  return clean({
    id: group.id,
    format: 'dicom',
    seriesUid: a.seriesUid,
    seriesNumber: a.seriesNumber,
    description: a.seriesDescription,
    modality: a.modality,
    manufacturer: a.manufacturer,
    model: a.model,
    bodyPart: a.bodyPart,
    contrastAgent: a.contrastAgent,
    imageType: a.imageType,
    photometric: a.photometric,
    diffusionDirectionality: a.diffusionDirectionality,
    frameOfReferenceUid: a.frameOfReferenceUid,
    seriesTime: a.seriesTime,
    files: group.fileCount,
    images: group.slices.length,
    volumes: plan?.volumes.length ?? 1,
    shape: [first.columns, first.rows, nSlices],
    spacingMm: [first.pixelSpacingMm[0], first.pixelSpacingMm[1], round(step)],
    orientation: plan
      ? orientationCode({
          direction: [
            plan.rowDirection[0], plan.columnDirection[0], plan.normal[0],
            plan.rowDirection[1], plan.columnDirection[1], plan.normal[1],
            plan.rowDirection[2], plan.columnDirection[2], plan.normal[2],
          ], // prettier-ignore
        })
      : undefined,
    sliceThicknessMm: a.sliceThicknessMm,
    gantryTiltDeg: a.gantryTiltDeg,
    echoTimeMs: a.echoTimeMs,
    repetitionTimeMs: a.repetitionTimeMs,
    fieldStrengthT: a.fieldStrengthT,
    kvp: a.kvp,
    convolutionKernel: a.convolutionKernel,
    bValues: hasDiffusion ? acquired.map((d) => round(d?.bValue ?? 0)) : undefined,
    gradients: hasDiffusion
      ? acquired.map((d) => (d?.gradient ? (d.gradient.map(round) as unknown as Vec3) : null))
      : undefined,
    traceVolumes: hasDiffusion ? (diffusion?.length ?? 0) - acquired.length : undefined,
    traceBValues: hasDiffusion
      ? diffusion?.filter((d) => d?.kind === 'trace').map((d) => round(d!.bValue))
      : undefined,
    warnings,
  });
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** Drops undefined fields so JSON output stays short. */
export function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
