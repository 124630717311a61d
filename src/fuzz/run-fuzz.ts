/**
 * One fuzz run: seeds from the shared data, `cases` plans from the run seed, the cases in
 * worker threads with a watchdog (case-pool.ts), then the CLI contract on a sample. Returns the
 * results, the table rows and every failure; prints nothing.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCasePool } from './case-pool.js';
import { type CliCheck, checkCliContract } from './cli-contract.js';
import { planCase } from './case-plan.js';
import { type Failure, type SummaryRow, failuresOf, summaryRows } from './fuzz-report.js';
import type { CaseResult, Mutant, SeedFile } from './fuzz-types.js';
import { makeMutant } from './make-mutant.js';
import { type SeedSelectionOptions, selectSeedFiles } from './seed-files.js';

export interface FuzzOptions {
  readonly dataRoot: string;
  /** Run seed (default 1). */
  readonly seed?: number;
  /** Number of cases (default 1000), from index `firstCase` (default 0). */
  readonly cases?: number;
  readonly firstCase?: number;
  readonly jobs?: number;
  readonly timeLimitMs?: number;
  readonly memoryLimitBytes?: number;
  /** Mutants given to the built CLI (default 0); needs `mainJs`. */
  readonly cliSample?: number;
  readonly mainJs?: string;
  /** Write every case's mutant here (to replay one by hand). */
  readonly saveMutantsDir?: string;
  readonly seedSelection?: SeedSelectionOptions;
  readonly onResult?: (result: CaseResult) => void;
}

export interface FuzzRun {
  readonly seed: number;
  readonly seeds: readonly SeedFile[];
  readonly results: readonly CaseResult[];
  readonly rows: readonly SummaryRow[];
  readonly cliChecks: readonly CliCheck[];
  /** Crashes, hangs, memory cases and CLI contract violations. */
  readonly failures: readonly Failure[];
  readonly seconds: number;
}

export function mutantSources(dataRoot: string, seeds: readonly SeedFile[]) {
  const cache = new Map<number, Uint8Array>();
  return {
    seeds,
    bytesOf: (n: number): Uint8Array => {
      const hit = cache.get(n);
      if (hit) return hit;
      const bytes = new Uint8Array(readFileSync(join(dataRoot, seeds[n]!.relativePath)));
      cache.set(n, bytes);
      return bytes;
    },
  };
}

/** Evenly spread cases that ended ok or refused (the CLI contract is about those). */
function cliSampleOf(results: readonly CaseResult[], count: number): CaseResult[] {
  const clean = results.filter((r) => r.outcome === 'ok' || r.outcome === 'refused');
  if (count <= 0 || clean.length === 0) return [];
  const step = clean.length / Math.min(count, clean.length);
  return Array.from(
    { length: Math.min(count, clean.length) },
    (_, n) => clean[Math.floor(n * step)]!,
  );
}

function saveMutants(
  dir: string,
  results: readonly CaseResult[],
  mutantOf: (r: CaseResult) => Mutant,
): void {
  for (const r of results) {
    const mutant = mutantOf(r);
    const caseDir = join(dir, `case-${r.plan.index}-${r.plan.kind}-${r.plan.mutation}`);
    for (const f of mutant.files) {
      const path = join(caseDir, f.name);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, f.bytes);
    }
  }
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzRun> {
  const started = performance.now();
  const seed = options.seed ?? 1;
  const seeds = selectSeedFiles(options.dataRoot, options.seedSelection);
  const first = options.firstCase ?? 0;
  const plans = Array.from({ length: options.cases ?? 1000 }, (_, n) =>
    planCase(seeds, seed, first + n),
  );
  const results = await runCasePool(plans, {
    dataRoot: options.dataRoot,
    seeds,
    ...(options.jobs !== undefined && { jobs: options.jobs }),
    ...(options.timeLimitMs !== undefined && { timeLimitMs: options.timeLimitMs }),
    ...(options.memoryLimitBytes !== undefined && { memoryLimitBytes: options.memoryLimitBytes }),
    ...(options.onResult && { onResult: options.onResult }),
  });
  const sources = mutantSources(options.dataRoot, seeds);
  const mutantOf = (r: CaseResult) => makeMutant(r.plan, sources);
  if (options.saveMutantsDir) saveMutants(options.saveMutantsDir, results, mutantOf);
  const cliChecks =
    options.cliSample && options.mainJs
      ? await checkCliContract(cliSampleOf(results, options.cliSample), mutantOf, {
          mainJs: options.mainJs,
        })
      : [];
  const violations: Failure[] = cliChecks
    .filter((c) => c.violation !== '')
    .map((c) => ({
      ...failuresOf([{ ...c.result, outcome: 'crash' }], seed)[0]!,
      message: `CLI contract, ${c.command}: ${c.violation}`,
    }));
  return {
    seed,
    seeds,
    results,
    rows: summaryRows(results),
    cliChecks,
    failures: [...failuresOf(results, seed), ...violations],
    seconds: (performance.now() - started) / 1000,
  };
}
