/**
 * The reference DICOM checkers, run as a user would: `dciodvfy` (Debian dicom3tools; checks a
 * file against its IOD, modules, attributes, VRs and code meanings) and `dcmdump` (Debian dcmtk;
 * an independent parser). A missing tool fails the test with how to install it, never skips.
 */
import { spawnSync } from 'node:child_process';

export interface DciodvfyResult {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  readonly output: string;
}

function run(tool: string, args: readonly string[], pkg: string): { out: string; status: number } {
  const r = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new Error(
      `${tool} is not installed: install Debian's ${pkg} (apt-get install -y ${pkg}); .ci/run does this`,
    );
  if (r.error) throw r.error;
  return { out: `${r.stdout}${r.stderr}`, status: r.status ?? -1 };
}

/** dciodvfy's verdict on a file: its "Error" and "Warning" lines. */
export function dciodvfy(path: string): DciodvfyResult {
  const { out } = run('dciodvfy', [path], 'dicom3tools');
  const lines = out.split('\n').map((l) => l.trim());
  return {
    errors: lines.filter((l) => /^Error\b/.test(l)),
    warnings: lines.filter((l) => /^Warning\b/.test(l)),
    output: out,
  };
}

/** dcmdump's text dump of a file (throws with its output when it cannot read the file). */
export function dcmdump(path: string, args: readonly string[] = []): string {
  const { out, status } = run('dcmdump', [...args, path], 'dcmtk');
  if (status !== 0) throw new Error(`dcmdump failed on ${path}:\n${out}`);
  return out;
}
