/**
 * The layer check fails on each way round it: planted violations, one per form, against the
 * project's own table; and it passes the same files written the allowed way.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LAYERS, layerViolations } from './layer-check.js';
import { moduleReferences } from './module-references.js';

const check = (path: string, text: string) => layerViolations([{ path, text }], LAYERS);

describe('moduleReferences', () => {
  it('finds every form, over several lines and past comments', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from './b.js';",
      "import './c.js';",
      "export { d } from './d.js';",
      "export * from './e.js';",
      "export type { F } from './f.js';",
      'import {',
      '  g,',
      "} from './g.js';",
      "const h = await import('./h.js');",
      "type I = typeof import('./i.js');",
      "import j = require('./j.js');",
      "const k = require('./k.js');",
      "// import { z } from './in-a-comment.js';",
      'const s = "import { y } from \'./in-a-string.js\'";',
    ].join('\n');
    assert.deepEqual(
      moduleReferences(text).map((r) => r.specifier),
      [
        './a.js',
        './b.js',
        './c.js',
        './d.js',
        './e.js',
        './f.js',
        './g.js',
        './h.js',
        './i.js',
      ].concat(['./j.js', './k.js']),
    );
    assert.equal(moduleReferences(text)[6]!.line, 7);
  });

  it('reads a const string passed to import(), and returns undefined for anything else', () => {
    const text = "const p = '@scope/pkg';\nawait import(p);\nawait import(`./x${n}.js`);";
    assert.deepEqual(
      moduleReferences(text).map((r) => r.specifier),
      ['@scope/pkg', undefined],
    );
  });
});

describe('layerViolations', () => {
  const upward: [string, string][] = [
    ['import', "import { runAnalyze } from '../cli/analyze-command.js';"],
    ['import type', "import type { AnalyzeOptions } from '../cli/analyze-command.js';"],
    ['inline type import', "import { type AnalyzeOptions } from '../cli/analyze-command.js';"],
    ['side-effect import', "import '../cli/main.js';"],
    ['export from', "export { runAnalyze } from '../cli/analyze-command.js';"],
    ['export * from', "export * from '../cli/analyze-command.js';"],
    ['export type from', "export type { AnalyzeOptions } from '../cli/analyze-command.js';"],
    ['dynamic import', "const m = await import('../cli/analyze-command.js');"],
    ['type-level import', "type M = typeof import('../cli/analyze-command.js');"],
    ['require', "const m = require('../cli/analyze-command.js');"],
    ['multi-line import', "import {\n  runAnalyze,\n} from '../cli/analyze-command.js';"],
  ];
  for (const [form, text] of upward)
    it(`refuses an upward ${form}`, () => {
      const problems = check('core/planted.ts', text);
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0]!, /^core\/planted\.ts:1 → \.\.\/cli\/\S+: core may not import cli$/);
    });

  it('refuses a sideways import between layers that do not import each other', () => {
    assert.equal(check('eval/planted.ts', "import { x } from '../synth/x.js';").length, 1);
    assert.equal(check('pipeline/planted.ts', "import { x } from '../report/x.js';").length, 1);
  });

  it('puts report between cli and pipeline', () => {
    assert.deepEqual(check('cli/planted.ts', "import { x } from '../report/x.js';"), []);
    assert.deepEqual(check('report/planted.ts', "import { x } from '../pipeline/x.js';"), []);
    assert.equal(check('report/planted.ts', "import { x } from '../cli/x.js';").length, 1);
  });

  it('refuses a computed specifier', () => {
    assert.match(
      check('io/planted.ts', 'const m = await import(name);').join(),
      /computed specifier/,
    );
  });

  it('refuses URL and subpath specifiers, which could name any file', () => {
    assert.equal(check('core/planted.ts', "import { x } from 'file:///src/cli/x.js';").length, 1);
    assert.equal(check('core/planted.ts', "import { x } from '#cli/x.js';").length, 1);
    assert.deepEqual(check('io/planted.ts', "import { x } from 'node:fs';"), []);
  });

  it('refuses Node built-ins in a pure layer, with or without node:', () => {
    assert.equal(check('core/planted.ts', "import { readFileSync } from 'node:fs';").length, 1);
    assert.equal(check('core/planted.ts', "import { readFileSync } from 'fs';").length, 1);
    assert.equal(check('pipeline/planted.ts', "const fs = await import('node:fs');").length, 1);
    assert.deepEqual(check('io/planted.ts', "import { readFileSync } from 'node:fs';"), []);
  });

  it('refuses a file in a folder the table does not list, or outside every folder', () => {
    assert.deepEqual(check('reports/planted.ts', ''), [
      'reports/planted.ts: folder src/reports is not in the layer table',
    ]);
    assert.equal(check('constructor/planted.ts', '').length, 1);
    assert.deepEqual(check('helper.ts', ''), [
      'helper.ts: a source file outside every layer folder',
    ]);
    assert.equal(check('reports/planted.test.ts', '').length, 1);
  });

  it('refuses an import that leaves src/', () => {
    assert.equal(check('core/planted.ts', "import { x } from '../../bench/stats.js';").length, 1);
    assert.equal(check('core/planted.ts', "import { x } from '../layers.js';").length, 1);
  });

  it('passes the allowed forms, and lets tests reach across layers', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../core/b.js';",
      "export { c } from '../preprocess/c.js';",
      "const d = await import('../models/d.js');",
      "import { e } from 'onnxruntime-node';",
    ].join('\n');
    assert.deepEqual(check('pipeline/planted.ts', text), []);
    assert.deepEqual(check('core/planted.test.ts', "import { x } from '../cli/x.js';"), []);
    assert.deepEqual(check('core/test-fixtures.ts', "import { x } from '../io/x.js';"), []);
  });
});
