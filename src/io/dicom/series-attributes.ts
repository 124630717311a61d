/** Reads the series-level attributes of a DICOM file (see SeriesAttributes). */
import type { DataSet } from 'dicom-parser';
import { num, str, strings } from './dataset-values.js';
import type { SeriesAttributes } from './slice-header.js';

/** (0018,9075) at top level, else in the enhanced shared or first per-frame MR Diffusion item. */
function directionality(ds: DataSet): string | undefined {
  const groups = [ds.elements.x52009229, ds.elements.x52009230].map(
    (el) => el?.items?.[0]?.dataSet?.elements.x00189117?.items?.[0]?.dataSet,
  );
  for (const d of [ds, ...groups]) {
    const value = d && str(d, 'x00189075');
    if (value) return value.trim().toUpperCase();
  }
  return undefined;
}

export function readSeriesAttributes(ds: DataSet): SeriesAttributes {
  const seriesUid = str(ds, 'x0020000e') ?? `no-series-uid:${str(ds, 'x00200011') ?? '?'}`;
  const attrs: SeriesAttributes = {
    seriesUid,
    studyUid: str(ds, 'x0020000d'),
    seriesNumber: num(ds, 'x00200011'),
    seriesDescription: str(ds, 'x0008103e'),
    protocolName: str(ds, 'x00181030'),
    modality: str(ds, 'x00080060') ?? 'OT',
    manufacturer: str(ds, 'x00080070'),
    model: str(ds, 'x00081090'),
    bodyPart: str(ds, 'x00180015'),
    contrastAgent: str(ds, 'x00180010'),
    imageType: strings(ds, 'x00080008').map((s) => s.toUpperCase()),
    sopClassUid: str(ds, 'x00080016'),
    transferSyntaxUid: str(ds, 'x00020010'),
    sliceThicknessMm: num(ds, 'x00180050'),
    spacingBetweenSlicesMm: num(ds, 'x00180088'),
    gantryTiltDeg: num(ds, 'x00181120'),
    kvp: num(ds, 'x00180060'),
    convolutionKernel: strings(ds, 'x00181210').join('\\') || undefined,
    echoTimeMs: num(ds, 'x00180081'),
    repetitionTimeMs: num(ds, 'x00180080'),
    fieldStrengthT: num(ds, 'x00180087'),
    acquisitionDate: str(ds, 'x00080022') ?? str(ds, 'x00080020'),
    seriesTime: str(ds, 'x00080031') ?? str(ds, 'x00080032'),
    frameOfReferenceUid: str(ds, 'x00200052'),
    photometric: str(ds, 'x00280004')?.trim().toUpperCase(),
    diffusionDirectionality: directionality(ds),
  };
  return Object.fromEntries(
    Object.entries(attrs).filter(([, v]) => v !== undefined),
  ) as unknown as SeriesAttributes;
}
