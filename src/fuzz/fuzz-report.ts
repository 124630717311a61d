/**
 * The summary of a run: a table by file kind × mutation (cases, each outcome, median and max
 * time, max memory), and the JSON written by `--out` with every crash, hang and memory case and
 * what reproduces it.
 */
import type { CaseResult, FileKind, MutationName, Outcome } from './fuzz-types.js';

export interface SummaryRow {
  readonly kind: FileKind | 'all';
  readonly mutation: MutationName | 'all';
  readonly cases: number;
  readonly outcomes: Readonly<Record<Outcome, number>>;
  readonly medianMs: number;
  readonly maxMs: number;
  readonly maxMb: number;
}

export interface Failure {
  readonly kind: FileKind;
  readonly mutation: MutationName;
  readonly seed: number;
  readonly caseIndex: number;
  readonly seedFile: string;
  readonly outcome: Outcome;
  readonly message: string;
  readonly frame?: string;
  readonly sourceFrame?: string;
  readonly detail?: string;
  readonly replay: string;
}

const OUTCOMES: readonly Outcome[] = ['ok', 'refused', 'crash', 'hang', 'memory'];

function row(
  kind: SummaryRow['kind'],
  mutation: SummaryRow['mutation'],
  results: readonly CaseResult[],
): SummaryRow {
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const r of results) outcomes[r.outcome]++;
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  return {
    kind,
    mutation,
    cases: results.length,
    outcomes,
    medianMs: ms[Math.floor((ms.length - 1) / 2)] ?? 0,
    maxMs: ms[ms.length - 1] ?? 0,
    maxMb: Math.max(0, ...results.map((r) => r.peakMb)),
  };
}

/** One row per kind × mutation that ran, then a total row. */
export function summaryRows(results: readonly CaseResult[]): SummaryRow[] {
  const groups = new Map<string, CaseResult[]>();
  for (const r of results) {
    const key = `${r.plan.kind}\0${r.plan.mutation}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const rows = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, rs]) => row(rs[0]!.plan.kind, rs[0]!.plan.mutation, rs));
  return [...rows, row('all', 'all', results)];
}

export function formatTable(rows: readonly SummaryRow[]): string {
  const head = ['kind', 'mutation', 'cases', ...OUTCOMES, 'median ms', 'max ms', 'max MB'];
  const body = rows.map((r) => [
    r.kind,
    r.mutation,
    String(r.cases),
    ...OUTCOMES.map((o) => String(r.outcomes[o])),
    r.medianMs.toFixed(1),
    r.maxMs.toFixed(0),
    r.maxMb.toFixed(0),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((b) => b[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function failuresOf(results: readonly CaseResult[], runSeed: number): Failure[] {
  return results
    .filter((r) => r.outcome === 'crash' || r.outcome === 'hang' || r.outcome === 'memory')
    .map((r) => ({
      kind: r.plan.kind,
      mutation: r.plan.mutation,
      seed: runSeed,
      caseIndex: r.plan.index,
      seedFile: r.seedPath,
      outcome: r.outcome,
      message: r.message ?? '',
      ...(r.frame && { frame: r.frame }),
      ...(r.sourceFrame && { sourceFrame: r.sourceFrame }),
      ...(r.detail && { detail: r.detail }),
      replay: `npm run fuzz -- --seed ${runSeed} --case ${r.plan.index} --save-mutants DIR`,
    }));
}
