/**
 * `neurotriage export-dataset --data DIR --out OUT --layout nnunet|isles22 [--include
 * accepted,edited] [--task ich|infarct]`: the reviewed studies of a service's data folder as a
 * labelled dataset (service/export-dataset.ts); prints what was written and what was skipped
 * and why. Names no patient: cases are counters, studies our ids.
 */
import { resolve } from 'node:path';
import { UserInputError } from '../core/errors.js';
import type { Task } from '../pipeline/select-inputs.js';
import { DATASET_LAYOUTS, type DatasetLayout } from '../service/dataset-layout.js';
import { INCLUDABLE, type Includable, exportDataset } from '../service/export-dataset.js';
import { RESEARCH_NOTICE } from './notice.js';

export interface ExportDatasetCommandOptions {
  readonly data: string;
  readonly out: string;
  readonly layout: string;
  readonly include?: string;
  readonly task?: string;
}

export async function runExportDataset(options: ExportDatasetCommandOptions): Promise<void> {
  const layout = options.layout as DatasetLayout;
  if (!DATASET_LAYOUTS.includes(layout))
    throw new UserInputError(`unknown --layout '${options.layout}' (expected nnunet or isles22)`);
  const include = (options.include ?? INCLUDABLE.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const s of include)
    if (!(INCLUDABLE as readonly string[]).includes(s))
      throw new UserInputError(
        `unknown --include '${s}' (expected accepted, edited or both; rejected studies are never exported)`,
      );
  if (options.task !== undefined && !['ich', 'infarct'].includes(options.task))
    throw new UserInputError(`unknown --task '${options.task}' (expected ich or infarct)`);
  const out = resolve(options.out);
  const summary = await exportDataset({
    dataDir: resolve(options.data),
    out,
    layout,
    include: include as Includable[],
    ...(options.task !== undefined && { task: options.task as Task }),
  });
  const edited = summary.cases.filter((c) => c.labelsFrom === 'edited').length;
  process.stdout.write(
    `exported ${summary.cases.length} case(s) (${summary.task ?? 'no task'}, ${layout} layout) to ${out}: ` +
      `${edited} with an edited mask, ${summary.cases.length - edited} with the model's labels\n`,
  );
  const reasons = new Map<string, number>();
  for (const s of summary.skipped) {
    const reason = s.reason.replace(/: .*/, '');
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  process.stdout.write(
    summary.skipped.length === 0
      ? 'skipped none\n'
      : `skipped ${summary.skipped.length}: ${[...reasons].map(([r, n]) => `${n} ${r}`).join(', ')} (see neurotriage-cases.json)\n`,
  );
  process.stdout.write(`${RESEARCH_NOTICE}\n`);
}
