/**
 * The layer rule of DESIGN.md, checked on the source (src/testing/layer-check.ts): imports point
 * down only, whatever their form (import, import type, export … from, import()), the pure
 * layers never touch Node APIs, and every source file sits in a folder of the layer table.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { LAYERS, layerViolations, type SourceText } from './testing/layer-check.js';
import { repoRoot } from './testing/shared-data.js';

function sourceFiles(src: string, dir = src): SourceText[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(src, path);
    if (!/\.[cm]?[jt]sx?$/.test(name) || path === join(src, 'layers.test.ts')) return [];
    return [{ path: relative(src, path).split(sep).join('/'), text: readFileSync(path, 'utf8') }];
  });
}

describe('layers', () => {
  const files = sourceFiles(join(repoRoot(), 'src'));

  it('finds the source files', () => assert.ok(files.length > 50, `${files.length} files`));

  it('every import points down, pure layers use no Node built-ins, no file outside a layer', () => {
    assert.deepEqual(layerViolations(files, LAYERS), []);
  });
});
