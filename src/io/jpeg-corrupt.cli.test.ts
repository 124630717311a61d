/**
 * A 12-bit lossy JPEG (JPEG Extended) DICOM with a few damaged bytes (issue 22), made in code
 * from the real file of the shared data: the codec's own complaints are not printed, the series
 * is marked unreadable with one reason, and the command's exit code says what happened (info:
 * 0, the series listed as not loadable; analyze: 2 and one line). Skipped without the data.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataRoot } from './data-root.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'neurotriage-jpeg-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function source(): string | undefined {
  try {
    const path = join(dataRoot(), 'dicom', 'pydicom-test-files', 'JPGExtended.dcm');
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Flips 5 bits in the second half of the file (the JPEG stream), from a seed. These seeds hit
 * markers or the end of a segment, which libjpeg notices; a flip inside the entropy-coded data
 * alone changes pixels without any decoder noticing, which no reader can refuse.
 */
function damaged(bytes: Uint8Array, seed: number): Uint8Array {
  const out = bytes.slice();
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2 ** 31);
  for (let n = 0; n < 5; n++) {
    const at = (out.length >> 1) + (next() % (out.length >> 1));
    out[at]! ^= 1 << (next() % 8);
  }
  return out;
}

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const path = source();

describe('a damaged 12-bit lossy JPEG DICOM', { skip: path ? false : 'no shared data' }, () => {
  const files = [1, 2, 4].map((seed) => {
    const file = join(dir, `damaged-${seed}.dcm`);
    writeFileSync(file, damaged(new Uint8Array(readFileSync(path!)), seed));
    return file;
  });

  it('info: exit 0, the series marked unreadable with one reason, no codec noise', () => {
    for (const file of files) {
      const r = cli('info', file);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /warning: cannot load: JPEG frame (is corrupt|cannot be decoded)/);
      assert.doesNotMatch(r.stderr, /JPEG|Corrupt|Unsupported|pipeline/);
    }
  });

  it('analyze: exit 2 with one line naming the JPEG problem', () => {
    const r = cli('analyze', files[0]!, '--out', join(dir, 'out'));
    assert.equal(r.status, 2, r.stderr);
    const lines = r.stderr
      .trimEnd()
      .split('\n')
      .filter((l) => l.startsWith('neurotriage'));
    assert.equal(lines.length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /Corrupt JPEG|Unsupported JPEG|^ {4}at /m);
  });

  it('the undamaged file still decodes (exit 0, an intensity range)', () => {
    const r = cli('info', path!);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /range\s+0 … 264/);
  });
});
