/**
 * Captures the DicomSourceReference of a series when it is loaded: UIDs, patient and study
 * attributes (from the series' first file, as stored) and every image's SOP instance with its
 * frame number and position. Outputs derived from the series (SEG, SR, key images) use it to
 * reference the source and to file into its study.
 */
import type { DataSet } from 'dicom-parser';
import type { DicomSourceImage, DicomSourceReference } from '../../core/dicom-source.js';
import { num, str } from './dataset-values.js';
import type { SeriesGroup } from './group-series.js';
import type { ParsedFile } from './slice-header.js';

/** A text element exactly as stored (trailing padding removed), or undefined when absent. */
function raw(ds: DataSet, tag: string): string | undefined {
  const el = ds.elements[tag];
  if (!el) return undefined;
  return el.length === 0 ? '' : (ds.string(tag) ?? '');
}

/**
 * The reference of one series group, or undefined when its files lack the UIDs needed to refer
 * to them (Study or Series Instance UID, or every SOP Instance UID).
 */
export function dicomSourceReference(
  group: SeriesGroup,
  files: readonly ParsedFile[],
): DicomSourceReference | undefined {
  const first = group.slices[0];
  const firstFile = first && files[first.source.fileIndex];
  if (!first || !firstFile) return undefined;
  const ds = firstFile.dataSet;
  const studyInstanceUid = str(ds, 'x0020000d');
  const seriesInstanceUid = str(ds, 'x0020000e');
  if (!studyInstanceUid || !seriesInstanceUid) return undefined;

  const images: DicomSourceImage[] = [];
  for (const s of group.slices) {
    const file = files[s.source.fileIndex];
    if (!file) continue;
    const sopInstanceUid = str(file.dataSet, 'x00080018');
    const sopClassUid = str(file.dataSet, 'x00080016') ?? str(file.dataSet, 'x00020002');
    if (!sopInstanceUid || !sopClassUid) continue;
    const frames = num(file.dataSet, 'x00280008') ?? 1;
    images.push({
      sopClassUid,
      sopInstanceUid,
      ...(frames > 1 && { frameNumber: s.source.frameIndex + 1 }),
      // A mosaic tile's position is not the position of the stored image's pixels.
      ...(s.positionMm && !s.source.tile && { positionMm: s.positionMm }),
    });
  }
  if (images.length === 0) return undefined;

  const grid =
    first.rowDirection && first.columnDirection && !first.source.tile
      ? {
          rows: first.rows,
          columns: first.columns,
          pixelSpacingMm: first.pixelSpacingMm,
          rowDirection: first.rowDirection,
          columnDirection: first.columnDirection,
        }
      : undefined;
  return {
    studyInstanceUid,
    seriesInstanceUid,
    ...optional('frameOfReferenceUid', str(ds, 'x00200052')),
    modality: group.attributes.modality,
    ...optional('seriesNumber', group.attributes.seriesNumber),
    ...optional('specificCharacterSet', raw(ds, 'x00080005')),
    patient: clean({
      name: raw(ds, 'x00100010'),
      id: raw(ds, 'x00100020'),
      birthDate: raw(ds, 'x00100030'),
      sex: raw(ds, 'x00100040'),
    }),
    study: clean({
      date: raw(ds, 'x00080020'),
      time: raw(ds, 'x00080030'),
      id: raw(ds, 'x00200010'),
      accessionNumber: raw(ds, 'x00080050'),
      referringPhysicianName: raw(ds, 'x00080090'),
      description: raw(ds, 'x00081030'),
    }),
    ...(grid && { grid }),
    images,
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
