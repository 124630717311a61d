/**
 * Test helpers for the DICOM side: dcmtk commands as child processes, a free TCP port, a
 * `storescp` archive, files in a temporary folder, and waiting for a condition.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CommandResult {
  readonly code: number | null;
  readonly output: string;
}

/** Runs a command to its end; stdout and stderr together. */
export function runCommand(command: string, args: readonly string[]): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** A port that was free a moment ago (listen on 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Archive {
  readonly aeTitle: string;
  readonly port: number;
  readonly dir: string;
  stop(): void;
}

/** dcmtk's `storescp` writing what it receives into a fresh folder. */
export async function startArchive(aeTitle = 'ARCHIVE'): Promise<Archive> {
  const dir = mkdtempSync(join(tmpdir(), 'nt-archive-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    'storescp',
    ['--output-directory', dir, '--aetitle', aeTitle, String(port)],
    { stdio: 'ignore' },
  );
  // Ready when echoscu gets an answer.
  await waitFor(async () => {
    const r = await runCommand('echoscu', ['-aec', aeTitle, '127.0.0.1', String(port)]);
    return r.code === 0;
  }, 10_000);
  return { aeTitle, port, dir, stop: () => child.kill() };
}

const tempDirs: string[] = [];

/** Writes files as `name-000.dcm`, … into a fresh folder; returns their paths. */
export function writeTempFiles(files: readonly Uint8Array[], name = 'instance'): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'nt-dimse-files-'));
  tempDirs.push(dir);
  return files.map((bytes, k) => {
    const path = join(dir, `${name}-${String(k).padStart(3, '0')}.dcm`);
    writeFileSync(path, bytes);
    return path;
  });
}

/** Removes the folders `writeTempFiles` made. */
export function removeTempFiles(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Polls `condition` until it holds or `timeoutMs` passed (then throws). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
