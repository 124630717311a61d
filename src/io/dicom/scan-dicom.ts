/**
 * Scans input files for DICOM images: parses each, skips what is not DICOM or not an image
 * (with the reason), and groups the slices into series.
 */
import { isUserInputError } from '../../core/errors.js';
import type { InputFile } from '../input-file.js';
import { extractSlices } from './extract-slices.js';
import { type SeriesGroup, groupSeries } from './group-series.js';
import { parseDicom } from './parse-dicom.js';
import type { ParsedFile, SliceHeader } from './slice-header.js';

export interface SkippedFile {
  readonly name: string;
  readonly reason: string;
}

export interface DicomScan {
  readonly files: ParsedFile[];
  readonly series: SeriesGroup[];
  readonly skipped: SkippedFile[];
}

export interface ScanOptions {
  readonly onProgress?: (done: number, total: number) => void;
}

export function scanDicom(inputs: readonly InputFile[], options: ScanOptions = {}): DicomScan {
  const files: ParsedFile[] = [];
  const slices: SliceHeader[] = [];
  const skipped: SkippedFile[] = [];
  inputs.forEach((input, n) => {
    try {
      const dataSet = parseDicom(input.bytes);
      const file: ParsedFile = { name: input.name, dataSet };
      const result = extractSlices(file, files.length);
      if (result.slices.length === 0) {
        skipped.push({ name: input.name, reason: result.skippedReason ?? 'no image' });
      } else {
        files.push(file);
        // One by one: a spread of many thousand frames or tiles overflows the call stack.
        for (const slice of result.slices) slices.push(slice);
      }
    } catch (e) {
      if (!isUserInputError(e)) throw e;
      skipped.push({ name: input.name, reason: e.message });
    }
    options.onProgress?.(n + 1, inputs.length);
  });
  return { files, series: groupSeries(slices), skipped };
}
