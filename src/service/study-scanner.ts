/**
 * The scanner a stored study came from: Manufacturer (0008,0070), ManufacturerModelName
 * (0008,1090) and StationName (0008,1010) of the first readable DICOM file of its input (the
 * manifest's extensionless names). A NIfTI upload, a zip, or a file without these elements gives
 * nulls: an "unknown scanner". No patient data is read out.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { str } from '../io/dicom/dataset-values.js';
import { looksLikeDicom, parseDicom } from '../io/dicom/parse-dicom.js';
import type { InputManifest } from './analyse-stored-study.js';
import { INPUT_MANIFEST } from './artefact-store.js';

export interface Scanner {
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly station: string | null;
}

export const UNKNOWN_SCANNER: Scanner = { manufacturer: null, model: null, station: null };

/** The scanner of a study's input folder; `UNKNOWN_SCANNER` when no DICOM file names one. */
export function scannerOfInput(inputDir: string): Scanner {
  const manifestPath = join(inputDir, INPUT_MANIFEST);
  if (!existsSync(manifestPath)) return UNKNOWN_SCANNER;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as InputManifest;
  for (const name of manifest.files.filter((n) => /^\d+$/.test(n))) {
    try {
      const bytes = new Uint8Array(readFileSync(join(inputDir, name)));
      if (!looksLikeDicom(bytes)) continue;
      const ds = parseDicom(bytes, { untilTag: 'x7fe00010' });
      return {
        manufacturer: str(ds, 'x00080070')?.trim() ?? null,
        model: str(ds, 'x00081090')?.trim() ?? null,
        station: str(ds, 'x00081010')?.trim() ?? null,
      };
    } catch {
      // not DICOM after all, or unreadable: the next file
    }
  }
  return UNKNOWN_SCANNER;
}
