/**
 * Mosaics: several slices tiled in one stored frame. Siemens (ImageType MOSAIC; slice count in
 * the CSA header or (0019,100a)) and UIH "VFRAME" (slice count (0065,1050), tile size (0065,1004),
 * per-slice positions in (0065,1051)). Each tile becomes its own slice with its own position.
 */
import type { DataSet } from 'dicom-parser';
import { FormatError } from '../../core/errors.js';
import { type Vec3, add, cross, dot, scale } from '../../core/vec.js';
import { bytesOf, items, num, privateNumber, str, vec3 } from './dataset-values.js';
import { csaNumbers, parseCsaHeader } from './siemens-csa.js';
import type { SliceHeader } from './slice-header.js';

interface MosaicLayout {
  readonly count: number;
  readonly tileRows: number;
  readonly tileColumns: number;
  readonly tilesPerRow: number;
}

export function mosaicSlices(ds: DataSet, base: SliceHeader): SliceHeader[] | undefined {
  const type = base.series.imageType;
  if (type.includes('MOSAIC')) return siemensMosaic(ds, base);
  if (type.includes('VFRAME') && (num(ds, 'x00651050') ?? 1) > 1) return uihMosaic(ds, base);
  return undefined;
}

/** Refuses a layout whose tiles do not fit in the stored frame (a corrupt slice count or size). */
function checkLayout(base: SliceHeader, layout: MosaicLayout): void {
  const { count, tileRows, tileColumns, tilesPerRow } = layout;
  const tileRowsInFrame = tileRows >= 1 ? Math.floor(base.rows / tileRows) : 0;
  const fits =
    Number.isInteger(count) &&
    count >= 1 &&
    Number.isInteger(tileRows) &&
    Number.isInteger(tileColumns) &&
    tileRows >= 1 &&
    tileColumns >= 1 &&
    tilesPerRow * tileColumns <= base.columns &&
    count <= tilesPerRow * tileRowsInFrame;
  if (!fits)
    throw new FormatError(
      `mosaic of ${count} images of ${tileColumns}×${tileRows} pixels does not fit ` +
        `in its ${base.columns}×${base.rows} frame (corrupt slice count or tile size)`,
    );
}

function tiles(
  base: SliceHeader,
  layout: MosaicLayout,
  positions: (k: number) => Vec3 | undefined,
): SliceHeader[] {
  checkLayout(base, layout);
  const out: SliceHeader[] = [];
  for (let k = 0; k < layout.count; k++) {
    out.push({
      ...base,
      rows: layout.tileRows,
      columns: layout.tileColumns,
      source: {
        ...base.source,
        tile: {
          x0: (k % layout.tilesPerRow) * layout.tileColumns,
          y0: Math.floor(k / layout.tilesPerRow) * layout.tileRows,
        },
      },
      positionMm: positions(k),
      inStackPosition: k + 1,
    });
  }
  return out;
}

function siemensMosaic(ds: DataSet, base: SliceHeader): SliceHeader[] | undefined {
  const csaBytes = bytesOf(ds, 'x00291010');
  const csa = csaBytes ? parseCsaHeader(csaBytes) : new Map<string, string[]>();
  const count = csaNumbers(csa, 'NumberOfImagesInMosaic')[0] ?? privateNumber(ds, 'x0019100a');
  if (!count || count < 1) return undefined;
  const tilesPerRow = Math.ceil(Math.sqrt(count));
  const layout: MosaicLayout = {
    count,
    tilesPerRow,
    tileRows: Math.floor(base.rows / tilesPerRow),
    tileColumns: Math.floor(base.columns / tilesPerRow),
  };
  const { positionMm: p, rowDirection: r, columnDirection: c } = base;
  if (!p || !r || !c) return tiles(base, layout, () => undefined);
  // The stored position is the corner of the whole mosaic; move it to the first tile's corner.
  const [si, sj] = base.pixelSpacingMm;
  const first = add(
    p,
    add(
      scale(r, (si * (base.columns - layout.tileColumns)) / 2),
      scale(c, (sj * (base.rows - layout.tileRows)) / 2),
    ),
  );
  let normal = cross(r, c);
  const csaNormal = csaNumbers(csa, 'SliceNormalVector');
  if (csaNormal.length === 3 && dot(normal, csaNormal as unknown as Vec3) < 0)
    normal = scale(normal, -1);
  const stepMm = num(ds, 'x00180088') ?? num(ds, 'x00180050') ?? 1;
  return tiles(base, layout, (k) => add(first, scale(normal, stepMm * k)));
}

function uihMosaic(ds: DataSet, base: SliceHeader): SliceHeader[] | undefined {
  const count = num(ds, 'x00651050') ?? 1;
  const size = (str(ds, 'x00651004') ?? '').split('*').map(Number);
  const tileRows = size[0] ?? 0;
  const tileColumns = size[1] ?? tileRows;
  if (!(tileRows > 0 && tileColumns > 0)) return undefined;
  const layout: MosaicLayout = {
    count,
    tileRows,
    tileColumns,
    tilesPerRow: Math.max(1, Math.floor(base.columns / tileColumns)),
  };
  const perSlice = items(ds, 'x00651051');
  return tiles(base, layout, (k) => {
    const item = perSlice[k];
    return item ? vec3(item, 'x00200032') : undefined;
  });
}
