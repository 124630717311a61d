/**
 * What each label of our models is, in SNOMED CT, for DICOM SEG segments and SR findings:
 * Segmented Property Category (CID 7150), Type (CID 7151, from the morphologically abnormal
 * structures of CID 7194/7159 where one fits) and the anatomic region it lies in (CID 4/7153/7140).
 *
 * Haemorrhage subtypes are one morphology, Hemorrhage (50960005), distinguished by where the
 * blood is: brain (intraparenchymal), brain ventricle, subarachnoid space; subdural and
 * epidural blood get the cranial cavity, since DICOM's lists hold no subdural/epidural space.
 * The infarct is Infarct (55641003, a SNOMED CT morphologic abnormality that DICOM's lists do
 * not enumerate; the type context group is extensible).
 */
import { type CodedConcept, code } from './coded-concepts.js';

export interface LesionCodes {
  readonly category: CodedConcept;
  readonly type: CodedConcept;
  readonly anatomicRegion?: CodedConcept;
  /** Words for Segment Description, e.g. "Subarachnoid haemorrhage". */
  readonly description: string;
}

const ABNORMAL = code('49755003', 'SCT', 'Morphologically Altered Structure');
const HEMORRHAGE = code('50960005', 'SCT', 'Hemorrhage');
const INFARCT = code('55641003', 'SCT', 'Infarct');
const EDEMA = code('79654002', 'SCT', 'Edema');
const BRAIN = code('12738006', 'SCT', 'Brain');
const BRAIN_VENTRICLE = code('35764002', 'SCT', 'Brain ventricle');
const SUBARACHNOID_SPACE = code('35951006', 'SCT', 'Subarachnoid space');
const CRANIAL_CAVITY = code('1101003', 'SCT', 'Cranial cavity');

const BY_NAME: Readonly<Record<string, LesionCodes>> = {
  intraparenchymal: {
    category: ABNORMAL,
    type: HEMORRHAGE,
    anatomicRegion: BRAIN,
    description: 'Intraparenchymal haemorrhage',
  },
  intraventricular: {
    category: ABNORMAL,
    type: HEMORRHAGE,
    anatomicRegion: BRAIN_VENTRICLE,
    description: 'Intraventricular haemorrhage',
  },
  subarachnoid: {
    category: ABNORMAL,
    type: HEMORRHAGE,
    anatomicRegion: SUBARACHNOID_SPACE,
    description: 'Subarachnoid haemorrhage',
  },
  subdural: {
    category: ABNORMAL,
    type: HEMORRHAGE,
    anatomicRegion: CRANIAL_CAVITY,
    description: 'Subdural haemorrhage',
  },
  epidural: {
    category: ABNORMAL,
    type: HEMORRHAGE,
    anatomicRegion: CRANIAL_CAVITY,
    description: 'Epidural haemorrhage',
  },
  'perihaematomal oedema': {
    category: ABNORMAL,
    type: EDEMA,
    anatomicRegion: BRAIN,
    description: 'Perihaematomal oedema',
  },
  infarct: {
    category: ABNORMAL,
    type: INFARCT,
    anatomicRegion: BRAIN,
    description: 'Acute infarct',
  },
};

/** Codes of a model label by its name; a label we do not know is a lesion of the task's kind. */
export function lesionCodes(task: 'ich' | 'infarct', labelName: string): LesionCodes {
  const known = BY_NAME[labelName.toLowerCase()];
  if (known) return known;
  return {
    category: ABNORMAL,
    type: taskFinding(task),
    anatomicRegion: BRAIN,
    description: labelName,
  };
}

/** The finding of a whole study: haemorrhage or infarct. */
export function taskFinding(task: 'ich' | 'infarct'): CodedConcept {
  return task === 'ich' ? HEMORRHAGE : INFARCT;
}

/** Every SNOMED CT code used here (for checks). */
export const LESION_SCT_CODES: readonly CodedConcept[] = [
  ABNORMAL,
  HEMORRHAGE,
  INFARCT,
  EDEMA,
  BRAIN,
  BRAIN_VENTRICLE,
  SUBARACHNOID_SPACE,
  CRANIAL_CAVITY,
];
