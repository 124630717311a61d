/**
 * `npm run fuzz -- [--seed N] [--cases N] [--case I] [--jobs N] [--time-limit-s S]
 * [--memory-limit-mb MB] [--cli-sample N] [--out DIR] [--save-mutants DIR] [--data DIR]`:
 * mutants of every kind of file in the shared data, read as `info` and `analyze` read them.
 * Prints a table by file kind × mutation; exits 1 when any case crashed, hung or ran out of
 * memory, or the CLI broke its contract.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dataRoot } from '../io/data-root.js';
import { formatTable } from './fuzz-report.js';
import { runFuzz } from './run-fuzz.js';

const USAGE =
  'usage: npm run fuzz -- [--seed N] [--cases N] [--case I] [--jobs N] [--time-limit-s S] [--memory-limit-mb MB] [--cli-sample N] [--out DIR] [--save-mutants DIR] [--data DIR]';

function integer(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`--${name} must be an integer ≥ ${min}, got '${value}'\n${USAGE}`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      cases: { type: 'string' },
      case: { type: 'string' },
      jobs: { type: 'string' },
      'time-limit-s': { type: 'string' },
      'memory-limit-mb': { type: 'string' },
      'cli-sample': { type: 'string' },
      out: { type: 'string' },
      'save-mutants': { type: 'string' },
      data: { type: 'string' },
    },
  });
  const only = values.case === undefined ? undefined : integer(values.case, 'case', 0);
  const mainJs = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'cli', 'main.js');
  let shown = 0;
  const run = await runFuzz({
    dataRoot: dataRoot(values.data),
    seed: integer(values.seed, 'seed', 1),
    cases: only === undefined ? integer(values.cases, 'cases', 1000, 1) : 1,
    firstCase: only ?? 0,
    jobs: integer(values.jobs, 'jobs', 1, 1),
    timeLimitMs: 1000 * integer(values['time-limit-s'], 'time-limit-s', 30, 1),
    memoryLimitBytes: 1e6 * integer(values['memory-limit-mb'], 'memory-limit-mb', 2000, 64),
    cliSample: integer(values['cli-sample'], 'cli-sample', only === undefined ? 20 : 1),
    mainJs,
    ...(values['save-mutants'] && { saveMutantsDir: values['save-mutants'] }),
    onResult: (r) => {
      if (r.outcome === 'ok' || r.outcome === 'refused') return;
      if (shown++ < 50)
        process.stderr.write(
          `case ${r.plan.index} ${r.plan.kind} ${r.plan.mutation}: ${r.outcome}: ${r.message ?? ''} ${r.sourceFrame ?? r.frame ?? ''}\n`,
        );
    },
  });
  const seedKinds = new Set(run.seeds.map((s) => s.kind));
  process.stdout.write(
    `seed ${run.seed}: ${run.results.length} cases from ${run.seeds.length} seed files (${seedKinds.size} kinds) in ${run.seconds.toFixed(1)} s\n\n`,
  );
  process.stdout.write(`${formatTable(run.rows)}\n\n`);
  const violations = run.cliChecks.filter((c) => c.violation !== '');
  process.stdout.write(
    `CLI contract: ${run.cliChecks.length} runs, ${violations.length} violation(s)\n`,
  );
  for (const v of violations)
    process.stdout.write(`  case ${v.result.plan.index}: ${v.command}: ${v.violation}\n`);
  for (const f of run.failures.slice(0, 30))
    process.stdout.write(
      `${f.outcome} case ${f.caseIndex} ${f.kind}/${f.mutation} (${f.seedFile}): ${f.message}\n    at ${f.sourceFrame ?? f.frame ?? '?'}\n`,
    );
  if (values.out) {
    mkdirSync(values.out, { recursive: true });
    const summary = {
      seed: run.seed,
      cases: run.results.length,
      seconds: run.seconds,
      seeds: run.seeds,
      rows: run.rows,
      failures: run.failures,
      slowest: [...run.results]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 10)
        .map((r) => ({
          case: r.plan.index,
          kind: r.plan.kind,
          mutation: r.plan.mutation,
          ms: Math.round(r.ms),
          peakMb: Math.round(r.peakMb),
          detail: r.detail,
        })),
      cliChecks: run.cliChecks.length,
    };
    writeFileSync(join(values.out, 'fuzz-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    process.stdout.write(`wrote ${join(values.out, 'fuzz-summary.json')}\n`);
  }
  return run.failures.length > 0 ? 1 : 0;
}

process.exitCode = await main();
