/**
 * The CLI contract on a sample of mutants: each is written to a temp file (or folder) and given
 * to the built CLI (`info PATH`; `analyze PATH --out DIR` when the reader refused it, so that no
 * model runs). A refusal must exit 2 with one last stderr line `neurotriage: …` and no stack
 * trace; exit 1 (an internal error), a signal or a time-out breaks the contract.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseResult, Mutant } from './fuzz-types.js';
import { writeMutantFolder } from './read-mutant.js';

export interface CliCheck {
  readonly result: CaseResult;
  readonly command: string;
  readonly exitCode: number | null;
  /** Empty when the contract held. */
  readonly violation: string;
}

export interface CliContractOptions {
  /** The built CLI (dist/src/cli/main.js). */
  readonly mainJs: string;
  readonly timeLimitMs?: number;
}

function run(
  args: readonly string[],
  timeLimitMs: number,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: timeLimitMs,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 1e6) stderr += chunk;
    });
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

/** Why a CLI run breaks the contract, or '' when it keeps it. */
export function contractViolation(
  code: number | null,
  signal: string | null,
  stderr: string,
): string {
  if (signal) return `killed by ${signal} (time-out?)`;
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  const trace = lines.find((l) => l.startsWith('    at '));
  if (trace) return `stack trace on stderr: ${trace.trim()}`;
  if (code === 0) return '';
  const last = lines[lines.length - 1] ?? '';
  if (code !== 2) return `exit code ${code}: ${last}`;
  if (!last.startsWith('neurotriage: ')) return `last stderr line is not "neurotriage: …": ${last}`;
  return '';
}

/** Runs the CLI on each mutant; `mutantOf` regenerates a case's mutant. */
export async function checkCliContract(
  sample: readonly CaseResult[],
  mutantOf: (result: CaseResult) => Mutant,
  options: CliContractOptions,
): Promise<CliCheck[]> {
  const checks: CliCheck[] = [];
  const limit = options.timeLimitMs ?? 120_000;
  for (const result of sample) {
    const mutant = mutantOf(result);
    const dir = writeMutantFolder(mutant);
    try {
      const input =
        mutant.layout === 'file' ? join(dir, 'input', mutant.files[0]!.name) : join(dir, 'input');
      const commands = [['info', input]];
      if (result.outcome === 'refused')
        commands.push(['analyze', input, '--out', join(dir, 'out')]);
      for (const args of commands) {
        const r = await run([options.mainJs, ...args], limit);
        checks.push({
          result,
          command: `neurotriage ${args[0]} <case ${result.plan.index}>`,
          exitCode: r.code,
          violation: contractViolation(r.code, r.signal, r.stderr),
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return checks;
}
