/**
 * What a review and the dataset export read of a finished study's `report.json`: the task, the
 * model, the research notice and the model's labels. report.json lists `volumesMl` by label
 * name in the model card's label order (values 1, 2, … as the shipped cards number them), so
 * label value n is the n-th name there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArtefactStore } from './artefact-store.js';

export interface ResultReport {
  readonly task: 'ich' | 'infarct';
  readonly model: { readonly name: string; readonly version: string; readonly sha256: string };
  readonly notice: string;
  /** Label value → name; 0 (background) not listed. */
  readonly labelNames: Readonly<Record<number, string>>;
}

/** The study's report, or undefined when it has no result. */
export function readResultReport(
  artefacts: ArtefactStore,
  studyId: string,
): ResultReport | undefined {
  const path = join(artefacts.resultDir(studyId), 'report.json');
  if (!existsSync(path)) return undefined;
  const r = JSON.parse(readFileSync(path, 'utf8')) as {
    task: 'ich' | 'infarct';
    model: ResultReport['model'];
    notice: string;
    volumesMl: Record<string, number>;
  };
  return {
    task: r.task,
    model: { name: r.model.name, version: r.model.version, sha256: r.model.sha256 },
    notice: r.notice,
    labelNames: Object.fromEntries(Object.keys(r.volumesMl).map((name, n) => [n + 1, name])),
  };
}
