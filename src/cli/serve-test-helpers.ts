/**
 * Test helpers: `neurotriage serve` as a child process on free ports (HTTP, and DICOM unless
 * `--no-dicom`), its stdout (the JSON log) kept, stopped with SIGTERM or killed with SIGKILL;
 * polling a study over HTTP; the jobs rows of a stopped service's data folder.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../service/database.js';

export interface ServeChild {
  readonly url: string;
  /** The C-STORE SCP's port; undefined with `--no-dicom`. */
  readonly dicomPort: number | undefined;
  readonly auth: Record<string, string>;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends the signal and waits for the exit; returns the exit code (null when killed). */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<number | null>;
}

export interface ServeChildOptions {
  readonly dataDir: string;
  readonly token: string;
  readonly workers: number;
  /** Extra arguments, e.g. `['--settle-s', '3600']` or `['--no-dicom']`. */
  readonly args?: readonly string[];
}

export async function startServeChild(options: ServeChildOptions): Promise<ServeChild> {
  const main = fileURLToPath(new URL('./main.js', import.meta.url));
  const args = ['serve', '--data', options.dataDir, '--http-port', '0'];
  if (!options.args?.includes('--no-dicom')) args.push('--dicom-port', '0');
  args.push('--workers', String(options.workers), ...(options.args ?? []));
  const child: ChildProcess = spawn(process.execPath, [main, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let output = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (output += chunk));
  const banner = await new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      const m = /service on (http:\/\/127\.0\.0\.1:\d+)(?:, DICOM \S+ on port (\d+))?/.exec(output);
      if (m) resolve(m);
    });
    child.on('exit', () => reject(new Error(`serve exited: ${output}`)));
  });
  return {
    url: banner[1]!,
    dicomPort: banner[2] === undefined ? undefined : Number(banner[2]),
    auth: { authorization: `Bearer ${options.token}` },
    output: () => output,
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface StudyState {
  readonly id: string;
  readonly status: string;
  readonly reason: string | null;
  readonly files: number;
  readonly links: { readonly outputs?: Readonly<Record<string, string>> };
}

/** `GET /studies/:id`. */
export async function getStudy(serve: ServeChild, id: string): Promise<StudyState> {
  const r = await fetch(`${serve.url}/studies/${id}`, { headers: serve.auth });
  if (r.status !== 200) throw new Error(`GET /studies/${id}: HTTP ${r.status}`);
  return (await r.json()) as StudyState;
}

/** `GET /worklist`. */
export async function getWorklist(serve: ServeChild): Promise<StudyState[]> {
  const r = await fetch(`${serve.url}/worklist`, { headers: serve.auth });
  return ((await r.json()) as { studies: StudyState[] }).studies;
}

/** Polls the study until `accept(status)` holds; returns it. */
export async function pollStudy(
  serve: ServeChild,
  id: string,
  accept: (status: string) => boolean,
  options: { readonly timeoutMs: number; readonly intervalMs?: number },
): Promise<StudyState> {
  const end = Date.now() + options.timeoutMs;
  for (;;) {
    const study = await getStudy(serve, id);
    if (accept(study.status)) return study;
    if (Date.now() > end) throw new Error(`study ${id} still ${study.status}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}

export const FINISHED = (status: string) => ['done', 'not-analysed', 'failed'].includes(status);

export interface JobRow {
  readonly studyId: string;
  readonly state: string;
  readonly attempts: number;
}

/** The jobs table of a data folder whose service is stopped. */
export function jobRows(dataDir: string): JobRow[] {
  const db = openDatabase(join(dataDir, 'neurotriage.sqlite'));
  try {
    return (
      db.prepare('SELECT study_id, state, attempts FROM jobs ORDER BY id').all() as Record<
        string,
        unknown
      >[]
    ).map((r) => ({
      studyId: String(r.study_id),
      state: String(r.state),
      attempts: Number(r.attempts),
    }));
  } finally {
    db.close();
  }
}
