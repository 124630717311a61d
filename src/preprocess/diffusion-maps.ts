/**
 * Diffusion maps from raw DWI volumes: mean b0, trace-weighted image (geometric mean of the
 * directional volumes of one shell) and ADC in mm²/s; plus detection and normalisation of the
 * units of an ADC map read from elsewhere (mm²/s, 10⁻³ mm²/s floats, 10⁻⁶ mm²/s integers).
 * Pure: no I/O.
 */
import { UserInputError } from '../core/errors.js';
import { sameGeometry } from '../core/geometry.js';
import { type Units, type Volume, createVolume, withOp } from '../core/volume.js';

/** Upper bound of plausible ADC (mm²/s): free water at body temperature is ≈ 0.003. */
export const ADC_MAX_MM2_PER_S = 0.005;

export type DiffusionVolumeKind = 'b0' | 'directional' | 'trace' | 'unknown';

export interface DiffusionMapsInput {
  readonly volumes: readonly Volume[];
  /** s/mm², one per volume. */
  readonly bValues: readonly number[];
  /** Optional, one per volume (from readDiffusionTags); without it every b>0 volume is directional. */
  readonly kinds?: readonly DiffusionVolumeKind[];
}

export interface DiffusionMapsOptions {
  /** Shell used for the trace image; default the highest b-value. */
  readonly targetBValue?: number;
  /** ADC is 0 where the mean b0 is below this; default 5 % of the b0's 99th percentile. */
  readonly minSignal?: number;
  /** b-values below this are unweighted (s/mm²); default 50. */
  readonly b0MaxBValue?: number;
}

export interface DiffusionMaps {
  readonly b0: Volume<Float32Array>;
  readonly trace: Volume<Float32Array>;
  readonly adc: Volume<Float32Array>;
  /** Mean b-value of the trace shell (s/mm²). */
  readonly bValue: number;
}

interface Shell {
  bValue: number;
  indices: number[];
}

/**
 * b0 = mean of the unweighted volumes; trace = geometric mean of the directional volumes of the
 * target shell (isotropic trace volumes are used when the shell has no directional ones);
 * ADC = ln(S0/Sb)/b for one shell, else the log-linear least-squares slope over b0 and every
 * shell's trace; clamped to [0, 0.005] mm²/s and 0 where S0 is below the noise threshold.
 */
export function computeDiffusionMaps(
  input: DiffusionMapsInput,
  options: DiffusionMapsOptions = {},
): DiffusionMaps {
  const { volumes, bValues } = input;
  if (volumes.length === 0) throw new UserInputError('no diffusion volumes given');
  if (bValues.length !== volumes.length || (input.kinds && input.kinds.length !== volumes.length))
    throw new UserInputError(
      `${volumes.length} volumes but ${bValues.length} b-values${input.kinds ? ` and ${input.kinds.length} kinds` : ''}`,
    );
  const first = volumes[0]!;
  for (const v of volumes)
    if (!sameGeometry(v.geometry, first.geometry))
      throw new UserInputError('diffusion volumes do not share one voxel grid');
  const b0Max = options.b0MaxBValue ?? 50;
  const b0Indices = bValues.flatMap((b, i) => (b < b0Max ? [i] : []));
  if (b0Indices.length === 0)
    throw new UserInputError(`no b0 volume (b < ${b0Max} s/mm²): cannot compute ADC`);
  const shells = groupShells(
    bValues.flatMap((b, i) => (b >= b0Max ? [i] : [])),
    bValues,
  );
  if (shells.length === 0)
    throw new UserInputError('no diffusion-weighted volume (b ≥ 50 s/mm²): cannot compute ADC');
  const target = pickShell(shells, options.targetBValue);
  const n = first.data.length;

  const b0 = meanOf(
    b0Indices.map((i) => volumes[i]!.data),
    n,
  );
  const traces = new Map<Shell, Float32Array>();
  for (const shell of shells) traces.set(shell, shellTrace(shell, input));
  const trace = traces.get(target)!;

  const minSignal = options.minSignal ?? 0.05 * percentile(b0, 0.99);
  const b0Mean = mean(b0Indices.map((i) => bValues[i]!));
  const adc = new Float32Array(n);
  if (shells.length === 1) {
    const db = target.bValue - b0Mean;
    for (let v = 0; v < n; v++) adc[v] = adcFromTwo(b0[v]!, trace[v]!, db, minSignal);
  } else {
    const points = [b0Mean, ...shells.map((s) => s.bValue)];
    const signals = [b0, ...shells.map((s) => traces.get(s)!)];
    const bBar = mean(points);
    const sxx = points.reduce((s, b) => s + (b - bBar) ** 2, 0);
    for (let v = 0; v < n; v++) {
      if (!(b0[v]! >= minSignal) || b0[v]! <= 0) continue;
      let ySum = 0;
      const ys = signals.map((s) => Math.log(Math.max(s[v]!, 1e-6)));
      for (const y of ys) ySum += y;
      const yBar = ySum / ys.length;
      let sxy = 0;
      for (let p = 0; p < points.length; p++) sxy += (points[p]! - bBar) * (ys[p]! - yBar);
      adc[v] = clampAdc(-sxy / sxx);
    }
  }

  const params = {
    bValue: target.bValue,
    b0Volumes: b0Indices.length,
    shells: shells.map((s) => ({ bValue: s.bValue, volumes: s.indices.length })),
    minSignal,
  };
  const meta = (units: Units, description: string) =>
    withOp(
      { modality: 'MR' as const, units, description, provenance: first.meta.provenance },
      { op: 'diffusion-maps', params },
    );
  return {
    b0: createVolume(first.geometry, b0, meta('arbitrary', 'mean b0')),
    trace: createVolume(
      first.geometry,
      trace,
      meta('arbitrary', `trace b${Math.round(target.bValue)}`),
    ),
    adc: createVolume(first.geometry, adc, meta('mm2/s', 'ADC')),
    bValue: target.bValue,
  };
}

function adcFromTwo(s0: number, sb: number, db: number, minSignal: number): number {
  if (!(s0 >= minSignal) || s0 <= 0) return 0;
  if (!(sb > 0)) return ADC_MAX_MM2_PER_S;
  return clampAdc(Math.log(s0 / sb) / db);
}

function clampAdc(x: number): number {
  if (!Number.isFinite(x)) return 0;
  return Math.min(ADC_MAX_MM2_PER_S, Math.max(0, x));
}

/** Groups b-values into shells: within max(25, 5 %) s/mm² of the shell's first b-value. */
function groupShells(indices: number[], bValues: readonly number[]): Shell[] {
  const sorted = [...indices].sort((a, b) => bValues[a]! - bValues[b]!);
  const shells: Shell[] = [];
  for (const i of sorted) {
    const b = bValues[i]!;
    const last = shells[shells.length - 1];
    const ref = last ? bValues[last.indices[0]!]! : undefined;
    if (last && ref !== undefined && Math.abs(b - ref) <= Math.max(25, 0.05 * ref))
      last.indices.push(i);
    else shells.push({ bValue: b, indices: [i] });
  }
  for (const s of shells) s.bValue = mean(s.indices.map((i) => bValues[i]!));
  return shells;
}

function pickShell(shells: Shell[], targetBValue: number | undefined): Shell {
  if (targetBValue === undefined) return shells[shells.length - 1]!;
  let best = shells[0]!;
  for (const s of shells)
    if (Math.abs(s.bValue - targetBValue) < Math.abs(best.bValue - targetBValue)) best = s;
  if (Math.abs(best.bValue - targetBValue) > Math.max(25, 0.05 * targetBValue))
    throw new UserInputError(
      `no shell at b=${targetBValue} s/mm² (shells: ${shells.map((s) => Math.round(s.bValue)).join(', ')})`,
    );
  return best;
}

/** Geometric mean of the shell's directional volumes, else the mean of its trace volumes. */
function shellTrace(shell: Shell, input: DiffusionMapsInput): Float32Array {
  const kinds = input.kinds;
  const directional = shell.indices.filter((i) => !kinds || kinds[i] !== 'trace');
  const chosen = directional.length > 0 ? directional : shell.indices;
  const arrays = chosen.map((i) => input.volumes[i]!.data);
  const n = input.volumes[0]!.data.length;
  if (directional.length === 0) return meanOf(arrays, n);
  const out = new Float32Array(n);
  for (let v = 0; v < n; v++) {
    let logSum = 0;
    let zero = false;
    for (const a of arrays) {
      const s = a[v]!;
      if (!(s > 0)) {
        zero = true;
        break;
      }
      logSum += Math.log(s);
    }
    out[v] = zero ? 0 : Math.exp(logSum / arrays.length);
  }
  return out;
}

function meanOf(arrays: ArrayLike<number>[], n: number): Float32Array {
  const out = new Float32Array(n);
  for (const a of arrays) for (let v = 0; v < n; v++) out[v]! += a[v]!;
  for (let v = 0; v < n; v++) out[v]! /= arrays.length;
  return out;
}

function mean(values: readonly number[]): number {
  return values.reduce((s, x) => s + x, 0) / values.length;
}

/** q-quantile of the finite values (0 ≤ q ≤ 1), by sorting a copy. */
function percentile(data: ArrayLike<number>, q: number): number {
  const values = Float64Array.from(data).filter(Number.isFinite).sort();
  if (values.length === 0) return 0;
  return values[Math.min(values.length - 1, Math.floor(q * (values.length - 1)))]!;
}

export type AdcUnits = 'mm2/s' | '1e-3 mm2/s' | '1e-6 mm2/s';

export interface AdcUnitsDetection {
  readonly units: AdcUnits;
  readonly scaleToMm2PerS: number;
  readonly reason: string;
}

const ADC_SCALES: ReadonlyArray<{ units: AdcUnits; scale: number }> = [
  { units: 'mm2/s', scale: 1 },
  { units: '1e-3 mm2/s', scale: 1e-3 },
  { units: '1e-6 mm2/s', scale: 1e-6 },
];

/**
 * Tells the units of an ADC map from its values: the median of the positive voxels (brain
 * tissue ≈ 0.0007–0.0009 mm²/s, CSF ≈ 0.003) must fall in [0.0002, 0.004] mm²/s once scaled.
 * Throws a UserInputError when no scale fits (not an ADC map, or an unknown convention).
 */
export function detectAdcUnits(volume: Pick<Volume, 'data'>): AdcUnitsDetection {
  const positives = Float64Array.from(volume.data).filter((x) => x > 0 && Number.isFinite(x));
  if (positives.length === 0)
    throw new UserInputError('ADC map has no positive voxel: cannot tell its units', 'adc-units');
  positives.sort();
  const median = positives[Math.floor((positives.length - 1) / 2)]!;
  for (const { units, scale } of ADC_SCALES) {
    const mm2 = median * scale;
    if (mm2 >= 0.0002 && mm2 <= 0.004)
      return {
        units,
        scaleToMm2PerS: scale,
        reason: `median of ${positives.length} positive voxels is ${median.toPrecision(3)} → ${mm2.toExponential(2)} mm²/s in ${units}, within the brain ADC range 2e-4–4e-3 mm²/s`,
      };
  }
  throw new UserInputError(
    `cannot tell ADC units: median positive value ${median.toPrecision(3)} fits none of mm²/s, 1e-3 mm²/s, 1e-6 mm²/s (expected ≈ 0.0008, 0.8 or 800 in brain)`,
    'adc-units',
  );
}

const ADC_UNITS_OP = 'adc-units';

/**
 * The ADC map with its units detected once and recorded (`meta.units` and an 'adc-units' step
 * with the reason), so that later steps (model input, the low-ADC yardstick) read them instead
 * of detecting again. Data unchanged.
 */
export function withDetectedAdcUnits(volume: Volume): {
  volume: Volume;
  detection: AdcUnitsDetection;
} {
  const detection = detectAdcUnits(volume);
  const meta = withOp(
    { ...volume.meta, units: detection.units },
    {
      op: ADC_UNITS_OP,
      params: { units: detection.units, scale: detection.scaleToMm2PerS, reason: detection.reason },
    },
  );
  return { volume: createVolume(volume.geometry, volume.data, meta), detection };
}

/** The units recorded by `withDetectedAdcUnits` (last step), else detected from the values. */
export function adcUnitsOf(volume: Pick<Volume, 'data' | 'meta'>): AdcUnitsDetection {
  const last = volume.meta.provenance[volume.meta.provenance.length - 1];
  const known = ADC_SCALES.find((s) => s.units === volume.meta.units);
  if (last?.op === ADC_UNITS_OP && known)
    return {
      units: known.units,
      scaleToMm2PerS: known.scale,
      reason: String(last.params?.reason ?? 'detected before'),
    };
  return detectAdcUnits(volume);
}

/** Converts an ADC map to Float32 mm²/s, whatever units it was stored in (see adcUnitsOf). */
export function normaliseAdc(volume: Volume): Volume<Float32Array> {
  const detected = adcUnitsOf(volume);
  const data = new Float32Array(volume.data.length);
  for (let v = 0; v < data.length; v++) data[v] = volume.data[v]! * detected.scaleToMm2PerS;
  const meta = withOp(
    { ...volume.meta, units: 'mm2/s' },
    {
      op: 'normalise-adc',
      params: {
        from: detected.units,
        declared: volume.meta.units,
        scale: detected.scaleToMm2PerS,
        reason: detected.reason,
      },
    },
  );
  return createVolume(volume.geometry, data, meta);
}
