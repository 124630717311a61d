/**
 * Identity of the DICOM images a volume was read from: study, series and frame of reference
 * UIDs, each image's SOP instance (with its position), and the patient and study attributes
 * that derived objects (DICOM SEG, SR, key images) must repeat so that they file into the same
 * study. Plain data: captured by io when a series is loaded, carried through the pipeline
 * untouched, read by the writers. Text values are kept exactly as stored (in the character set
 * named by `specificCharacterSet`), so they can be written back byte for byte.
 */
import type { Vec3 } from './vec.js';

export interface DicomSourceImage {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  /** 1-based frame of a multi-frame instance; absent for single-frame images. */
  readonly frameNumber?: number;
  /**
   * Image Position (Patient) of the image's first pixel, LPS mm; absent when the image has
   * none, or when its pixels are not its own plane (a tile of a mosaic).
   */
  readonly positionMm?: Vec3;
}

/** Pixel grid shared by the images of the series (they are grouped by size and orientation). */
export interface DicomSourceGrid {
  readonly rows: number;
  readonly columns: number;
  /** Spacing along i (between columns) and j (between rows), mm. */
  readonly pixelSpacingMm: readonly [number, number];
  readonly rowDirection: Vec3;
  readonly columnDirection: Vec3;
}

/** Patient module attributes, as stored (empty when the source left them empty). */
export interface DicomPatient {
  readonly name?: string;
  readonly id?: string;
  readonly birthDate?: string;
  readonly sex?: string;
}

/** General Study module attributes other than the Study Instance UID, as stored. */
export interface DicomStudy {
  readonly date?: string;
  readonly time?: string;
  readonly id?: string;
  readonly accessionNumber?: string;
  readonly referringPhysicianName?: string;
  readonly description?: string;
}

export interface DicomSourceReference {
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly frameOfReferenceUid?: string;
  readonly modality: string;
  readonly seriesNumber?: number;
  /** (0008,0005) of the source; copied so that its text values stay readable. */
  readonly specificCharacterSet?: string;
  readonly patient: DicomPatient;
  readonly study: DicomStudy;
  readonly grid?: DicomSourceGrid;
  /** Every image of the series (all volumes of a 4-D series), in the order found. */
  readonly images: readonly DicomSourceImage[];
}
