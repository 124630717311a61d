/**
 * What we know about one 2-D image (a slice, a frame of an enhanced file, or a tile of a mosaic)
 * before decoding its pixels: enough to group series, sort slices and build geometry.
 */
import type { DataSet } from 'dicom-parser';
import type { Vec3 } from '../../core/vec.js';
import type { DiffusionInfo } from './diffusion-tags.js';

/** Series-level description, used to list series and to pick the right one for a task. */
export interface SeriesAttributes {
  readonly seriesUid: string;
  readonly studyUid?: string;
  readonly seriesNumber?: number;
  readonly seriesDescription?: string;
  readonly protocolName?: string;
  readonly modality: string;
  readonly manufacturer?: string;
  readonly model?: string;
  readonly bodyPart?: string;
  /** (0018,0010) Contrast/Bolus Agent; present and non-empty suggests a contrast study. */
  readonly contrastAgent?: string;
  readonly imageType: readonly string[];
  readonly sopClassUid?: string;
  readonly transferSyntaxUid?: string;
  readonly sliceThicknessMm?: number;
  readonly spacingBetweenSlicesMm?: number;
  readonly gantryTiltDeg?: number;
  readonly kvp?: number;
  readonly convolutionKernel?: string;
  readonly echoTimeMs?: number;
  readonly repetitionTimeMs?: number;
  readonly fieldStrengthT?: number;
  readonly acquisitionDate?: string;
  /** (0008,0031) Series Time, else (0008,0032) Acquisition Time, as recorded (HHMMSS.frac). */
  readonly seriesTime?: string;
  /** (0020,0052): series sharing it were acquired in one patient position (one exam). */
  readonly frameOfReferenceUid?: string;
  /** (0028,0004), e.g. MONOCHROME2 or RGB (a colour map, never a model input). */
  readonly photometric?: string;
  /** (0018,9075) Diffusion Directionality (top level or the enhanced functional groups). */
  readonly diffusionDirectionality?: string;
}

/** Where the pixels of this slice live. */
export interface PixelSource {
  /** Index into the list of parsed files. */
  readonly fileIndex: number;
  readonly frameIndex: number;
  /** For mosaics: the tile's top-left corner (column, row) in the stored frame. */
  readonly tile?: { readonly x0: number; readonly y0: number };
}

export interface SliceHeader {
  readonly series: SeriesAttributes;
  readonly source: PixelSource;
  /** File name or zip entry, for messages. */
  readonly name: string;
  readonly rows: number;
  readonly columns: number;
  /** Spacing along i (between columns) and j (between rows), mm. */
  readonly pixelSpacingMm: readonly [number, number];
  /** World (LPS) centre of the first transmitted pixel; undefined when the file has none. */
  readonly positionMm?: Vec3;
  /** Unit row (i) and column (j) directions in LPS. */
  readonly rowDirection?: Vec3;
  readonly columnDirection?: Vec3;
  readonly rescaleSlope: number;
  readonly rescaleIntercept: number;
  readonly instanceNumber?: number;
  readonly acquisitionNumber?: number;
  readonly temporalPosition?: number;
  /** Number of stack-ordering hints from enhanced files (stack position, in-stack position). */
  readonly inStackPosition?: number;
  readonly diffusion?: DiffusionInfo;
}

/** A parsed file kept for decoding later. */
export interface ParsedFile {
  readonly name: string;
  readonly dataSet: DataSet;
}
