/**
 * The layer rule of DESIGN.md, checked on the source: imports point down only, and the pure
 * layers (core, preprocess) never touch Node APIs, so they run unchanged in a browser or worker.
 * Tests and test fixtures may reach across layers to get real data.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from './testing/shared-data.js';

/** Layer → the layers it may import (itself included). */
const ALLOWED: Record<string, readonly string[]> = {
  core: ['core'],
  preprocess: ['preprocess', 'core'],
  render: ['render', 'eval', 'core'],
  eval: ['eval', 'core'],
  models: ['models', 'preprocess', 'core'],
  registration: ['registration', 'preprocess', 'core'],
  pipeline: ['pipeline', 'models', 'registration', 'preprocess', 'core'],
  synth: ['synth', 'preprocess', 'core'],
  io: ['io', 'core'],
  testing: ['testing', 'io', 'models', 'preprocess', 'core'],
  report: ['report', 'pipeline', 'render', 'eval', 'io', 'models', 'preprocess', 'core'],
  cli: [
    'cli',
    'report',
    'io',
    'pipeline',
    'registration',
    'models',
    'synth',
    'eval',
    'render',
    'preprocess',
    'core',
  ],
};
const PURE = new Set(['core', 'preprocess', 'render', 'synth', 'eval', 'registration']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    const isTestCode = /\.test\.ts$|test-fixtures\.ts$/.test(name);
    return name.endsWith('.ts') && !isTestCode ? [path] : [];
  });
}

describe('layers', () => {
  const src = join(repoRoot(), 'src');
  const files = sourceFiles(src);

  it('finds the source files', () => assert.ok(files.length > 50, `${files.length} files`));

  for (const layer of Object.keys(ALLOWED)) {
    it(`${layer} imports only ${ALLOWED[layer]!.join(', ')}${PURE.has(layer) ? ', no node: modules' : ''}`, () => {
      const problems: string[] = [];
      for (const file of files.filter((f) => relative(src, f).split('/')[0] === layer)) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/^import [^;]*?from '([^']+)'/gms)) {
          const spec = m[1]!;
          if (spec.startsWith('.')) {
            const target = relative(src, join(file, '..', spec)).split('/')[0]!;
            if (!ALLOWED[layer]!.includes(target))
              problems.push(`${relative(src, file)} → ${spec}`);
          } else if (PURE.has(layer) && spec.startsWith('node:')) {
            problems.push(`${relative(src, file)} uses ${spec}`);
          }
        }
      }
      assert.deepEqual(problems, []);
    });
  }
});
