/**
 * The diffusion half of input selection (task 'infarct'): DWI + ADC from the MR series of a
 * study, by these rules, in order:
 *
 * 1. The scanner's isotropic trace (TRACEW/isotropic) at the highest clinical b (≤ 2500
 *    s/mm², never a computed b) + the scanner's ADC of the same acquisition (same frame of
 *    reference and grid, nearest series number) — what the scanner computed from all its
 *    directions, so preferred over anything computed here.
 * 2. One series holding b0 and b>0 volumes (raw directions, or Philips/GE with their isotropic
 *    image inside): trace and ADC computed with `computeDiffusionMaps`.
 * 3. A b0-only and a b>0-only series (two NIfTI files with .bval sidecars, or DICOM split by b).
 * 4. A DWI/trace series + an ADC series found by name, else a second MR series whose values
 *    have ADC units (NIfTI inputs).
 *
 * eADC, FA, colour FA, computed-b images, tensor by-products and localisers never reach this
 * file: select-inputs.ts skips them by their role (diffusion-series-roles.ts).
 */
import { UserInputError } from '../core/errors.js';
import { sameGeometry } from '../core/geometry.js';
import type { Volume } from '../core/volume.js';
import {
  computeDiffusionMaps,
  detectAdcUnits,
  withDetectedAdcUnits,
} from '../preprocess/diffusion-maps.js';
import {
  type Candidate,
  type LoadedSeriesLike,
  type Picked,
  clearlyNotHead,
  label,
  loaded,
  sourcesOf,
} from './input-candidates.js';
import { MAX_CLINICAL_B } from './diffusion-series-roles.js';
import { traceAdcPair } from './series-choice.js';

/** b-values and kinds of a loaded diffusion series (from its DICOM diffusion tags). */
function diffusionTable(data: LoadedSeriesLike): { bValues: number[]; kinds: string[] } | null {
  if (data.volumes.length < 2 || data.diffusion.length !== data.volumes.length) return null;
  if (data.diffusion.some((d) => d === undefined)) return null;
  return {
    bValues: data.diffusion.map((d) => d!.bValue),
    kinds: data.diffusion.map((d) => d!.kind ?? 'unknown'),
  };
}

/** DWI + ADC from the study's MR candidates; see the file comment for the rules. */
export async function selectDiffusion(mr: readonly Candidate[], found: string): Promise<Picked> {
  if (mr.length === 0)
    throw new UserInputError(
      `task infarct needs diffusion MR (DWI + ADC, or b0 + b1000), but no MR series was found (found: ${found})`,
    );
  const warnings: string[] = [];
  const notHead = mr.filter((c) => clearlyNotHead(c.entry.summary));
  if (notHead.length === mr.length)
    throw new UserInputError(
      `the MR is of the ${mr[0]!.entry.summary.bodyPart} (Body Part Examined), not the head: the infarct model reads brain DWI only`,
    );
  const usable = mr.filter((c) => !clearlyNotHead(c.entry.summary));

  // 1. The scanner's trace + the scanner's ADC of the same acquisition.
  const roled = (role: string) =>
    usable
      .filter((c) => c.role === role)
      .map((c) => ({ entry: c.entry, role: c.role!, why: c.why ?? role }));
  const pair = traceAdcPair(roled('trace'), roled('adc'));
  if (pair) {
    const rule = `DWI + ADC as the scanner made them: ${pair.why}`;
    const of = (e: unknown) => usable.find((c) => c.entry === e)!;
    return dwiPlusAdc(of(pair.trace.entry), of(pair.adc.entry), warnings, rule);
  }

  // 2. One series with b0 and b>0 volumes: compute trace and ADC.
  for (const c of usable.filter((x) => x.kind === 'dwi')) {
    const data = await loaded(c);
    const table = diffusionTable(data);
    if (!table || !table.bValues.some((b) => b < 50) || !table.bValues.some((b) => b >= 50))
      continue;
    // Multi-shell (e.g. b1000 + b3000): the highest clinical shell, not the research one.
    const clinical = table.bValues.filter((b) => b >= 50 && b <= MAX_CLINICAL_B);
    const maps = computeDiffusionMaps(
      {
        volumes: data.volumes,
        bValues: table.bValues,
        kinds: table.kinds.map((k) =>
          k === 'b0' || k === 'directional' || k === 'trace' ? k : 'unknown',
        ),
      },
      clinical.length > 0 ? { targetBValue: Math.max(...clinical) } : {},
    );
    if (!maps.adc.data.some((x) => x > 0))
      throw new UserInputError(
        `${label(c.entry.summary)}: the ADC computed from b-values ${[...new Set(table.bValues.map(Math.round))].join(', ')} is 0 everywhere (the b>0 images are no darker than b0): not usable diffusion data`,
      );
    warnings.push(...data.warnings);
    return {
      task: 'infarct',
      images: [maps.trace, maps.adc],
      description: `${label(c.entry.summary)}: trace b${Math.round(maps.bValue)} and ADC computed from b-values ${[...new Set(table.bValues.map(Math.round))].join(', ')}`,
      series: [c.entry.id],
      warnings,
      ...sourcesOf([data]),
      rule: `no scanner trace + ADC pair: trace and ADC computed from one series' b0 and b${Math.round(maps.bValue)} volumes`,
      used: [{ id: c.entry.id, role: 'dwi (b0 + b>0)', why: c.why ?? 'b0 and b>0 volumes' }],
    };
  }

  // 3. Separate b0 and b>0 series (e.g. dwi.nii.gz + b0.nii.gz with .bval sidecars).
  const split = await b0AndDwiPair(usable);
  if (split) {
    warnings.push(...split.warnings);
    return split;
  }

  // 4. A DWI (trace) series and an ADC series.
  let adc = usable.find((c) => c.kind === 'adc');
  // DICOM MR that is not diffusion (FLAIR, T1…) is never taken; a NIfTI file may be.
  const dwiCandidates = usable.filter(
    (c) => c.kind === 'dwi' || (c.kind === 'mr' && c.entry.summary.format === 'nifti'),
  );
  const dwi = dwiCandidates.find((c) => c.kind === 'dwi') ?? dwiCandidates[0];
  if (!dwi)
    throw new UserInputError(
      `no diffusion-weighted (DWI/trace) series found (found: ${found}); the infarct model needs DWI + ADC, or b0 + b1000`,
    );
  if (!adc) {
    // Unlabelled: the second MR series is the ADC if its values have ADC units.
    const other = usable.find((c) => c !== dwi);
    const volume = other && (await loaded(other)).volumes[0];
    if (other && volume) {
      try {
        const detected = detectAdcUnits(volume);
        adc = other;
        warnings.push(`${other.entry.id} taken as the ADC map: ${detected.reason}`);
      } catch {
        adc = undefined;
      }
    }
  }
  if (!adc && usable.length === 1 && (await loaded(usable[0]!)).volumes.length === 1)
    throw new UserInputError(
      `only one diffusion image was given (${label(usable[0]!.entry.summary)}, a single volume): the infarct model needs DWI + ADC, DWI + b0 with their .bval sidecars, or a 4-D DWI with its .bval`,
    );
  if (!adc)
    throw new UserInputError(
      `no ADC map found and no series with b0 and b>0 volumes to compute one (found: ${found}); give DWI and ADC (analyze dwi.nii.gz adc.nii.gz), DWI + b0 with .bval sidecars, or a 4-D DWI with its .bval sidecar`,
    );
  const rule = `DWI + ADC${adc.role === 'adc' ? ' by name' : ''}: no scanner trace + ADC pair and no b0 with b>0 volumes`;
  return dwiPlusAdc(dwi, adc, warnings, rule);
}

function roleWhy(c: Candidate, otherwise: string): string {
  return c.role && c.why ? `${c.role}: ${c.why}` : otherwise;
}

/** The DWI (its highest-b volume) and the ADC (units detected) as model inputs. */
async function dwiPlusAdc(
  dwi: Candidate,
  adc: Candidate,
  warnings: string[],
  rule: string,
): Promise<Picked> {
  const dwiData = await loaded(dwi);
  const adcData = await loaded(adc);
  warnings.push(...dwiData.warnings, ...adcData.warnings);
  const dwiImage = highestB(dwiData);
  const adcImage = adcData.volumes[0];
  if (!dwiImage || !adcImage) throw new UserInputError('DWI or ADC series has no image');
  // Units detected once (a clear error for a map that is not ADC) and recorded on the volume:
  // the model input and the low-ADC yardstick read them from there.
  const { volume: adcWithUnits, detection: units } = withDetectedAdcUnits(adcImage);
  if (adcData.volumes.length > 1)
    warnings.push(`${adc.entry.id} has ${adcData.volumes.length} volumes; used the first`);
  return {
    task: 'infarct',
    images: [dwiImage, adcWithUnits],
    description: `DWI ${label(dwi.entry.summary)} + ADC ${label(adc.entry.summary)} (ADC in ${units.units})`,
    series: [dwi.entry.id, adc.entry.id],
    warnings,
    ...sourcesOf([dwiData, adcData]),
    rule,
    used: [
      { id: dwi.entry.id, role: 'dwi', why: roleWhy(dwi, label(dwi.entry.summary)) },
      { id: adc.entry.id, role: 'adc', why: roleWhy(adc, `ADC in ${units.units}`) },
    ],
  };
}

/**
 * A b0-only series and a b>0-only series (two NIfTI files with .bval sidecars, or DICOM series
 * split by b-value): trace and ADC computed from the two together. They must share a grid.
 */
async function b0AndDwiPair(usable: readonly Candidate[]): Promise<Picked | undefined> {
  const withTable: { c: Candidate; data: LoadedSeriesLike; b: number[] }[] = [];
  for (const c of usable.filter((x) => x.kind === 'dwi')) {
    const data = await loaded(c);
    const d = data.diffusion;
    if (d.length === data.volumes.length && d.every((x) => x !== undefined))
      withTable.push({ c, data, b: d.map((x) => x!.bValue) });
  }
  const b0 = withTable.find((t) => t.b.every((b) => b < 50));
  const dwi = withTable.find((t) => t.b.every((b) => b >= 50));
  if (!b0 || !dwi) return undefined;
  const g0 = b0.data.volumes[0]!.geometry;
  const g1 = dwi.data.volumes[0]!.geometry;
  if (!sameGeometry(g0, g1))
    throw new UserInputError(
      `b0 ${label(b0.c.entry.summary)} (${g0.shape.join('×')}, ${g0.spacingMm.map((x) => x.toFixed(2)).join('×')} mm) and DWI ${label(dwi.c.entry.summary)} (${g1.shape.join('×')}, ${g1.spacingMm.map((x) => x.toFixed(2)).join('×')} mm) are on different grids: the ADC needs both on one grid (resample one onto the other first)`,
    );
  const volumes = [...b0.data.volumes, ...dwi.data.volumes];
  const bValues = [...b0.b, ...dwi.b];
  const maps = computeDiffusionMaps({
    volumes,
    bValues,
    kinds: bValues.map((b) => (b < 50 ? 'b0' : 'unknown')),
  });
  return {
    task: 'infarct',
    images: [maps.trace, maps.adc],
    description: `b0 ${label(b0.c.entry.summary)} + DWI ${label(dwi.c.entry.summary)}: trace b${Math.round(maps.bValue)} and ADC computed`,
    series: [dwi.c.entry.id, b0.c.entry.id],
    warnings: [...b0.data.warnings, ...dwi.data.warnings],
    ...sourcesOf([dwi.data, b0.data]),
    rule: 'a b0-only and a b>0-only series on one grid: trace and ADC computed from the two',
    used: [
      { id: dwi.c.entry.id, role: 'dwi (b>0)', why: dwi.c.why ?? `b ${dwi.b.join(', ')}` },
      { id: b0.c.entry.id, role: 'b0', why: b0.c.why ?? 'b0 only' },
    ],
  };
}

/** The volume with the highest b-value (the trace image), else the last volume. */
function highestB(data: LoadedSeriesLike): Volume | undefined {
  let best = data.volumes.length - 1;
  data.diffusion.forEach((d, i) => {
    const current = data.diffusion[best]?.bValue ?? -1;
    if (d && d.bValue >= current && data.volumes[i]) best = i;
  });
  return data.volumes[best];
}
