/**
 * The repository's ESLint configuration, run through ESLint's Node API on planted files in a
 * temporary folder: local/no-import-cycle reports every cycle (type-only ones and three-file
 * ones included) and nothing else; max-lines allows 400 lines and reports 401, in tests too.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ESLint } from 'eslint';
import { repoRoot } from './shared-data.js';

const PLANTED: Record<string, string> = {
  // a ↔ b through types only
  'a.ts': "import type { B } from './b.js';\nexport interface A {\n  b?: B;\n}\n",
  'b.ts': "import type { A } from './a.js';\nexport interface B {\n  a?: A;\n}\n",
  // c ↔ d through a re-export and a dynamic import
  'c.ts': "export { d } from './d.js';\nexport const c = 1;\n",
  'd.ts': "export const d = 2;\nexport const load = () => import('./c.js');\n",
  // e → f → g → e
  'e.ts': "import { f } from './f.js';\nexport const e = f + 1;\n",
  'f.ts': "import { g } from './g.js';\nexport const f = g + 1;\n",
  'g.ts': "import type { E } from './h.js';\nexport const g: E = 1;\n",
  'h.ts': "import { e } from './e.js';\nexport type E = typeof e;\n",
  // no cycle: i → j → a Node built-in
  'i.ts': "import { j } from './j.js';\nexport const i = j;\n",
  'j.ts': "import { readFileSync } from 'node:fs';\nexport const j = readFileSync.length;\n",
  // 400 lines pass, 401 fail (a test file too)
  'long-400.ts': lines(400),
  'long-401.ts': lines(401),
  'long-401.test.ts': lines(401),
};

function lines(count: number): string {
  return Array.from({ length: count }, (_, n) => `export const v${n} = ${n};`).join('\n') + '\n';
}

describe('ESLint rules of eslint.config.js, on planted files', () => {
  let dir = '';
  let byFile = new Map<string, string[]>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'neurotriage-lint-'));
    for (const [name, text] of Object.entries(PLANTED)) writeFileSync(join(dir, name), text);
    const eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: join(repoRoot(), 'eslint.config.js'),
    });
    const results = await eslint.lintFiles(['*.ts']);
    byFile = new Map(
      results.map((r) => [
        r.filePath.slice(dir.length + 1),
        r.messages.map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`),
      ]),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const rule = (file: string, id: string) =>
    (byFile.get(file) ?? []).filter((m) => m.startsWith(`${id}:`));

  it('lints every planted file', () => {
    assert.deepEqual([...byFile.keys()].sort(), Object.keys(PLANTED).sort());
  });

  it('reports each file of a cycle, whatever the form of import, and names the cycle', () => {
    for (const file of ['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts', 'f.ts', 'g.ts', 'h.ts'])
      assert.equal(rule(file, 'local/no-import-cycle').length, 1, `${file}: ${byFile.get(file)}`);
    assert.deepEqual(rule('a.ts', 'local/no-import-cycle'), [
      'local/no-import-cycle: Import cycle: a.ts → b.ts → a.ts',
    ]);
    assert.deepEqual(rule('e.ts', 'local/no-import-cycle'), [
      'local/no-import-cycle: Import cycle: e.ts → f.ts → g.ts → h.ts → e.ts',
    ]);
  });

  it('reports no cycle where there is none', () => {
    for (const file of ['i.ts', 'j.ts', 'long-400.ts'])
      assert.deepEqual(byFile.get(file), [], file);
  });

  it('allows 400 lines and reports 401, in a test file too', () => {
    assert.deepEqual(rule('long-400.ts', 'max-lines'), []);
    assert.equal(rule('long-401.ts', 'max-lines').length, 1);
    assert.equal(rule('long-401.test.ts', 'max-lines').length, 1);
    assert.match(rule('long-401.ts', 'max-lines')[0]!, /Maximum allowed is 400/);
  });
});
