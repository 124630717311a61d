/**
 * The model card: the JSON written next to each ONNX file by `training/` (task, input channels,
 * spacing and normalisation, labels, operating point, training summary, evaluation, sha256 of
 * the weights, intended use), validated with zod. Pure: parsing and hashing of bytes only (the
 * sha256 uses Web Crypto, present in Node ≥ 20 and browsers); model-files.ts reads files.
 */
import { z } from 'zod';
import { FormatError } from '../core/errors.js';
import { NORMALISATIONS } from '../preprocess/model-normalisation.js';

const positive = z.number().positive();

const intTriple = z.tuple([
  z.number().int().min(1),
  z.number().int().min(1),
  z.number().int().min(1),
]);

/** The card as `training/neurotriage_train/export.py` writes it; unknown extra keys are kept. */
export const modelCardSchema = z.looseObject({
  cardVersion: z.literal(1),
  name: z.string().min(1),
  version: z.string().min(1),
  task: z.enum(['ich', 'infarct']),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits'),
  inputs: z.looseObject({
    /** Channel names in tensor order: ['ct'] or ['dwi', 'adc']. */
    channels: z.array(z.string().min(1)).min(1),
    /** Model voxel size along X (L), Y (P), Z (S), mm. */
    spacingMm: z.tuple([positive, positive, positive]),
    /** The id of the preprocessing (model-normalisation.ts), as written in the training index. */
    normalisation: z.enum(NORMALISATIONS as ['ct-brain-window', 'dwi-adc']),
    /** Spatial sizes must be multiples of this. */
    divisibleBy: z.number().int().min(1).optional(),
    /** Patch [z, y, x] used in training: a good sliding-window patch. */
    trainingPatchSize: intTriple.optional(),
    /** Sliding-window patch [z, y, x] for inference, chosen by measurement (docs/models.md). */
    inferencePatchSize: intTriple.optional(),
  }),
  /** Label value (as a string key, "1", "2", …) → name; background 0 is not listed. */
  labels: z.record(
    z.string().regex(/^[1-9][0-9]*$/, 'label keys are positive integers'),
    z.string().min(1),
  ),
  operatingPoint: z
    .object({
      threshold: z.number().min(0).max(1),
      targetSensitivity: z.number().min(0).max(1),
    })
    .nullable(),
  /** Steps after the network, chosen on tuning data like the operating point. */
  postprocessing: z
    .object({
      /** Infarct: keep a lesion when its median ADC ≤ this × the scan's normal-tissue ADC. */
      maxRelativeAdc: z.number().positive().optional(),
    })
    .optional(),
  training: z.looseObject({
    data: z.looseObject({
      /** Cases per split, e.g. { train: 800, val: 50, test: 0 }. */
      cases: z.record(z.string(), z.number().int().min(0)),
      sites: z.array(z.string()),
    }),
    steps: z.number().int().min(0),
    seed: z.number().int().nullable(),
    /** Every command that contributed (training, resumes, fine-tuning). */
    commands: z.array(z.string()),
  }),
  evaluation: z.record(z.string(), z.unknown()).nullable(),
  intendedUse: z.string().min(1),
});

export type ModelCard = z.infer<typeof modelCardSchema>;

/** Parses and validates card JSON text; FormatError naming the first bad field. */
export function parseModelCard(text: string, source = 'model card'): ModelCard {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new FormatError(`${source} is not valid JSON: ${(e as Error).message}`);
  }
  const result = modelCardSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new FormatError(`${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const card = result.data;
  const expected = card.task === 'ich' ? 'ct-brain-window' : 'dwi-adc';
  if (card.inputs.normalisation !== expected)
    throw new FormatError(
      `${source}: task '${card.task}' needs normalisation '${expected}', card says '${card.inputs.normalisation}'`,
    );
  return card;
}

/** Lowercase hex sha256 of bytes (Web Crypto). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Throws FormatError "model file does not match its card" unless sha256(bytes) = card.sha256. */
export async function verifyModelBytes(
  card: Pick<ModelCard, 'sha256' | 'name'>,
  bytes: Uint8Array,
  source = 'model file',
): Promise<void> {
  const actual = await sha256Hex(bytes);
  if (actual !== card.sha256)
    throw new FormatError(
      `${source}: model file does not match its card (card '${card.name}' says sha256 ${card.sha256}, file has ${actual})`,
    );
}
