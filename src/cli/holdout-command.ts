/**
 * `neurotriage experiment holdout --model DIR --truth MANIFEST --out DIR [--target-sensitivity p]
 * [--update-card]`: runs `analyze` on every case of a (synthetic) held-out set, then `evaluate`
 * on the predictions with an HTML report; with `--update-card` the operating point and the
 * metrics go into the model's card. The measured numbers of a model card come from here.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserInputError } from '../core/errors.js';
import type { EvaluationSummary } from '../eval/evaluation-summary.js';
import { runAnalyze } from './analyze-command.js';
import { runEvaluate } from './evaluate-command.js';
import { nodeResources } from '../host/node-resources.js';
import { progressBar } from './progress.js';

export interface HoldoutOptions {
  readonly model: string;
  readonly truth: string;
  readonly out: string;
  readonly targetSensitivity?: number;
  readonly updateCard?: boolean;
  /** Infarct: the restriction check's ratio for every case (default: the card's). */
  readonly maxRelativeAdc?: number;
}

interface Line {
  id: string;
  files: Record<string, string>;
}

/** Returns the evaluation summary (also printed, and written as HTML). */
export async function runHoldout(options: HoldoutOptions): Promise<EvaluationSummary> {
  const manifest = options.truth.endsWith('.jsonl')
    ? options.truth
    : join(options.truth, 'manifest.jsonl');
  let lines: Line[];
  try {
    lines = readFileSync(manifest, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
  } catch {
    throw new UserInputError(`cannot read the held-out manifest ${manifest}`);
  }
  const base = dirname(manifest);
  const predictions = join(options.out, 'predictions');
  const bar = progressBar('analyze');
  const write = process.stdout.write.bind(process.stdout);
  // One model session, template and atlas set for every case.
  const resources = nodeResources({ model: options.model });
  try {
    for (const [n, line] of lines.entries()) {
      const images = ['ct', 'dwi', 'adc']
        .filter((k) => line.files[k])
        .map((k) => join(base, line.files[k]!));
      // Quiet per-case summaries: the evaluation below reports them all.
      process.stdout.write = () => true;
      try {
        await runAnalyze(
          images,
          {
            out: join(predictions, line.id),
            model: options.model,
            json: true,
            ...(options.maxRelativeAdc !== undefined && {
              maxRelativeAdc: options.maxRelativeAdc,
            }),
          },
          resources,
        );
      } finally {
        process.stdout.write = write;
      }
      bar.onProgress(n + 1, lines.length);
    }
  } finally {
    bar.stop();
    await resources.release();
  }
  return runEvaluate({
    truth: manifest,
    pred: predictions,
    html: join(options.out, 'report.html'),
    targetSensitivity: options.targetSensitivity,
    updateCard: options.updateCard ? join(options.model, 'card.json') : undefined,
  });
}
