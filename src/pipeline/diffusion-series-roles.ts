/**
 * What one DICOM series of a study is, for diffusion selection, read from its summary alone
 * (no pixels): the scanner's raw directions, its isotropic trace (Siemens TRACEW, GE/Canon/UIH
 * isotropic, Philips' isotropic image), its ADC, or a derived map that must never be taken for
 * DWI or ADC — exponential ADC (inverted contrast), FA, colour FA, a computed (synthetic) high-b
 * image, tensor by-products — or a localiser. Each role comes with the reason, in words, for
 * the report's input section.
 *
 * Markers read, by vendor (ImageType values are upper-cased by the reader):
 * - Siemens: ImageType `…\DIFFUSION\TRACEW`, `…\ADC`, `…\EXP` (eADC), `…\FA`, `…\COLFA`,
 *   `…\CALC_BVALUE`, `…\TENSOR_B0`; b-values from (0018,9087), (0019,100C) or the CSA header.
 * - GE: description "Apparent Diffusion Coefficient", "Exponential Apparent Diffusion…", "FA",
 *   "Calc b…"; b-values from (0043,1039).
 * - Philips: ImageType `…\ADC`/`…\EADC`/`…\FA`, the isotropic image stored inside the DTI
 *   series (zero gradient at b>0, or (0018,9075) ISOTROPIC), counted as the series' trace
 *   volumes; b-values from (2001,1003).
 * - Canon, UIH and any enhanced (multi-frame) file: (0018,9075) Diffusion Directionality
 *   ISOTROPIC / NONE, (0018,9087) b-value; descriptions such as "DWI_b1000_ADC", "eADC".
 * - Any vendor: Photometric Interpretation RGB/YBR (a colour map).
 */

export type DiffusionRole =
  | 'raw-dwi'
  | 'trace'
  | 'adc'
  | 'eadc'
  | 'fa'
  | 'colour-fa'
  | 'computed-b'
  | 'derived-other'
  | 'localiser'
  | 'not-diffusion';

/** What the role reading needs of a series summary (io's SeriesSummary has all of it). */
export interface RoleSummary {
  readonly description?: string;
  readonly modality: string;
  readonly imageType?: readonly string[];
  readonly photometric?: string;
  readonly diffusionDirectionality?: string;
  /** Acquired (non-trace) volumes' b-values, s/mm². */
  readonly bValues?: readonly number[];
  readonly traceVolumes?: number;
  readonly traceBValues?: readonly number[];
  readonly volumes?: number;
  /** Columns, rows, slices of one volume. */
  readonly shape?: readonly number[];
}

export interface SeriesRole {
  readonly role: DiffusionRole;
  /** Why, in words: the marker that decided it. */
  readonly why: string;
}

/** Roles that are never a model input (DWI or ADC), whatever else the series says. */
export const NEVER_INPUT: ReadonlySet<DiffusionRole> = new Set([
  'eadc',
  'fa',
  'colour-fa',
  'computed-b',
  'derived-other',
  'localiser',
]);

/** b-values above this are not clinical stroke DWI (research or computed). */
export const MAX_CLINICAL_B = 2500;

const B0_MAX = 50;

interface Marker {
  readonly role: DiffusionRole;
  /** Whole ImageType values that mark the role. */
  readonly imageType: readonly string[];
  /** Whole words of the series description (split at anything not a letter or digit). */
  readonly words: readonly string[];
  /** Phrases of the description. */
  readonly phrase?: RegExp;
}

/** Checked in order: the derived maps first, since their descriptions often contain "ADC"/"DWI". */
const MARKERS: readonly Marker[] = [
  {
    role: 'localiser',
    imageType: ['LOCALIZER', 'SCOUT'],
    words: ['LOCALIZER', 'LOCALISER', 'LOC', 'SCOUT', 'SURVEY', '3PLANE'],
    phrase: /3[- ]plane/i,
  },
  {
    role: 'colour-fa',
    imageType: ['COLFA', 'COLOR', 'COLOUR', 'RGB', 'FA_COLOR'],
    words: ['COLFA', 'RGB', 'DEC', 'COLORFA', 'COLOURFA'],
    phrase: /colou?r[ _-]?fa/i,
  },
  {
    role: 'eadc',
    imageType: ['EADC', 'EXP', 'EXP_ADC', 'EXPONENTIAL'],
    words: ['EADC', 'EXP', 'EXPADC'],
    phrase: /exponential/i,
  },
  { role: 'fa', imageType: ['FA'], words: ['FA'], phrase: /fractional anisotropy/i },
  {
    role: 'computed-b',
    imageType: ['CALC_BVALUE', 'COMPUTED', 'CALC', 'SYNTHETIC', 'CALCULATED'],
    words: ['CALC', 'CBVAL', 'COMPUTED', 'SYNTHETIC', 'CALCULATED'],
    phrase: /^calc|[^a-z]calc|cbval|computed b/i,
  },
  {
    role: 'derived-other',
    imageType: ['TENSOR', 'TENSOR_B0', 'TRACE_B0', 'MD', 'RD', 'AD'],
    words: ['TENSOR', 'MD'],
    phrase: /mean diffusivity/i,
  },
  { role: 'adc', imageType: ['ADC'], words: ['ADC'], phrase: /apparent diff/i },
];

const TRACE: Marker = {
  role: 'trace',
  imageType: ['TRACEW', 'TRACE', 'ISOTROPIC', 'ISODWI'],
  words: ['TRACE', 'TRACEW', 'ISOTROPIC', 'ISO'],
};

function fmtB(b: readonly number[]): string {
  return [...new Set(b.map(Math.round))].sort((x, y) => x - y).join(', ');
}

function markerHit(m: Marker, type: readonly string[], description: string): string | undefined {
  const t = type.find((x) => m.imageType.includes(x));
  if (t) return `ImageType ${t}`;
  const words = description.toUpperCase().split(/[^A-Z0-9]+/);
  if (words.some((w) => m.words.includes(w)) || m.phrase?.test(description))
    return `description '${description}'`;
  return undefined;
}

/** The role of a DICOM series; see the file comment for the markers. */
export function diffusionRoleOf(s: RoleSummary): SeriesRole {
  const type = (s.imageType ?? []).map((t) => t.toUpperCase());
  const description = s.description ?? '';
  if (/^(RGB|YBR)/.test((s.photometric ?? '').toUpperCase()))
    return { role: 'colour-fa', why: `colour image (Photometric ${s.photometric})` };
  const acquired = s.bValues ?? [];
  const traceB = s.traceBValues ?? [];
  const directions = acquired.some((b) => b >= B0_MAX);
  for (const m of MARKERS) {
    const hit = markerHit(m, type, description);
    // ImageType is the scanner's word; a description ("Ax DWI TENSOR", GE's DTI) yields to
    // acquired diffusion directions, which no derived map has.
    if (hit && (hit.startsWith('ImageType') || !directions)) return { role: m.role, why: hit };
  }
  if (directions) {
    const inside = (s.traceVolumes ?? 0) > 0 ? ` with the scanner's isotropic image inside` : '';
    return { role: 'raw-dwi', why: `diffusion directions at b ${fmtB(acquired)}${inside}` };
  }
  const traceHit = markerHit(TRACE, type, description);
  if (traceHit) return { role: 'trace', why: traceHit };
  if (traceB.some((b) => b >= B0_MAX))
    return {
      role: 'trace',
      why: `isotropic image at b ${fmtB(traceB)} ((0018,9075) ISOTROPIC or no gradient)`,
    };
  const slices = s.shape?.[2];
  if (slices !== undefined && slices <= 3 && acquired.length === 0)
    return { role: 'localiser', why: `${slices} slice${slices === 1 ? '' : 's'}, no b-values` };
  if (acquired.length > 0) return { role: 'raw-dwi', why: `b0 only (b ${fmtB(acquired)})` };
  const named = /DIFFUSION|DWI|\bDW\b|B1000|EPI_?DIFF/i.test(`${description} ${type.join(' ')}`);
  if (s.modality === 'MR' && named)
    return (s.volumes ?? 1) > 1
      ? { role: 'raw-dwi', why: `diffusion by name ('${description}'), no b-values recorded` }
      : { role: 'trace', why: `one diffusion volume named '${description}', no b-values` };
  return { role: 'not-diffusion', why: 'no b-values and no diffusion marker' };
}

/** The highest clinical b-value of a trace or raw series (≤ MAX_CLINICAL_B), else the highest. */
export function usefulB(s: RoleSummary): number {
  const all = [...(s.traceBValues ?? []), ...(s.bValues ?? [])].filter((b) => b >= B0_MAX);
  const clinical = all.filter((b) => b <= MAX_CLINICAL_B);
  if (clinical.length > 0) return Math.max(...clinical);
  return all.length > 0 ? -Math.max(...all) : 0;
}
